import Foundation

/// Runs a system program (bash, man, systemd-analyze, the install scripts) to completion,
/// its standard output and error merged into one text.
enum Shell {
    struct Result {
        var status: Int32
        var output: String
    }

    /// `program` looked up in `$PATH` unless it is a path.
    static func run(_ program: String, _ args: [String], env: [String: String] = [:]) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [program] + args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Whether `program` is on `$PATH`.
    static func has(_ program: String) -> Bool {
        (try? run("sh", ["-c", "command -v \(program)"]))?.status == 0
    }

    /// The repository this test was built from.
    static var repository: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }
}
