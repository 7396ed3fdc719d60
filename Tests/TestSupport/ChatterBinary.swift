import Foundation

/// The built `chatter` the tests run as users and scripts do: `$CHATTER_BIN`, else
/// the one beside the test bundle, else `.build/debug/chatter`.
public enum ChatterBinary {
    /// What a finished run gave.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static var url: URL {
        if let p = ProcessInfo.processInfo.environment["CHATTER_BIN"], !p.isEmpty { return URL(fileURLWithPath: p) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("chatter")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/chatter")
    }

    public static var path: String { url.path }

    /// Runs it to completion with `args`, optional standard input and extra
    /// environment. `CHATTER_AS`, `CHATTER_DB` and `CHATTER_SMTP_PASSWORD` of the
    /// test's own environment are not passed on (a test gives them in `env`).
    public static func run(_ args: [String], stdin: Data? = nil, env: [String: String] = [:]) throws -> Result {
        try run(url, args, stdin: stdin, env: env)
    }

    /// Runs any program (a shell that `exec`s chatter as another user, say) to completion,
    /// with `unset` names removed from the test's environment and `env` on top. Both pipes
    /// are read to the end before waiting, so a large output cannot block the child.
    public static func run(
        _ executable: URL, _ args: [String], stdin: Data? = nil, env: [String: String] = [:],
        unset: [String] = ["CHATTER_AS", "CHATTER_DB", "CHATTER_SMTP_PASSWORD"]
    ) throws -> Result {
        let p = Process()
        p.executableURL = executable
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for name in unset { environment[name] = nil }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let errData = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData.set(err.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        p.waitUntilExit()
        return Result(
            status: p.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData.get(), as: UTF8.self))
    }
}

/// Data handed from the reading thread.
private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Data()
    func set(_ d: Data) { lock.withLock { value = d } }
    func get() -> Data { lock.withLock { value } }
}
