import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// `chatter serve` under a connection flood with the usual open-file limit of 1024 (the real
/// built binary, started through `sh -c 'ulimit -n 1024; exec …'`): plain sockets from one
/// address and from many, and slowloris clients sending a header byte a second. The process
/// must live, shed what is over its limits, cut the slow ones by its timeouts, and a normal
/// client from another address must still get its 43-byte GIF within a second. (The long
/// form, with figures, is `scripts/soak-serve.py` in `make soak`.)
final class ServeFloodTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-flood-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    /// The server under `ulimit -n 1024`, its port and its standard error.
    private func startServe(_ extra: [String]) throws -> (Process, Int, LockedLines) {
        let db = dir.appendingPathComponent("store.sqlite").path
        XCTAssertEqual(try Chatter.run(["partner", "add", "--name", "X", "--email", "x@y.org", "--db", db]).status, 0)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        let args = (["serve", "--db", db, "--listen", "127.0.0.1:0"] + extra).map { "'\($0)'" }.joined(separator: " ")
        p.arguments = ["-c", "ulimit -n 1024; exec '\(Chatter.binary.path)' \(args)"]
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = dir.appendingPathComponent("no-config").path
        p.environment = environment
        let err = Pipe()
        let lines = LockedLines()
        err.fileHandleForReading.readabilityHandler = { lines.append($0.availableData) }
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(30)
        while lines.port == nil, p.isRunning, Date() < deadline { usleep(50_000) }
        guard let port = lines.port else {
            p.terminate()
            throw NSError(domain: "serve did not start: \(lines.text)", code: 1)
        }
        return (p, port, lines)
    }

    private let pixel = "/t/1/\(String(repeating: "ab", count: 16))/blank.gif"

    /// The normal client: a fresh connection from its own address; asserts the GIF within a second.
    private func assertNormalClientServed(_ port: Int, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let start = Date()
        let answer = LoopbackClient.get(pixel, port: port, from: "127.0.0.200", timeout: 1)
        let elapsed = Date().timeIntervalSince(start)
        XCTAssertEqual(answer?.status, 200, "\(what): no answer within a second", file: file, line: line)
        XCTAssertEqual(answer?.body.count, 43, what, file: file, line: line)
        XCTAssertLessThan(elapsed, 1.0, what, file: file, line: line)
    }

    func testFloodsAndSlowlorisUnderUlimit1024LeaveTheServerAliveAndServing() throws {
        LoopbackClient.allowDescriptors(8192)
        let (server, port, lines) = try startServe(["--idle-timeout", "3", "--header-timeout", "2"])
        defer {
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        XCTAssertTrue(lines.text.contains("connections: at most 896 (64 per address)"), lines.text)
        assertNormalClientServed(port, "before the flood")
        var sockets: [Int32] = []
        defer { sockets.forEach { close($0) } }

        // 1,100 idle connections from one address: all but 64 are shed.
        let oneAddress = (0..<1100).compactMap { _ in LoopbackClient.open(from: "127.0.0.2", to: port) }
        sockets += oneAddress
        // 1,200 from 40 addresses (30 each, under the per-address cap): over the global limit.
        for i in 0..<1200 { LoopbackClient.open(from: "127.0.2.\(1 + i % 40)", to: port).map { sockets.append($0) } }
        // 300 slowloris clients from 30 addresses, one header byte a second.
        let slow = (0..<300).compactMap { LoopbackClient.open(from: "127.0.3.\(1 + $0 % 30)", to: port) }
        sockets += slow
        XCTAssertGreaterThan(sockets.count, 2500, "the test could not open its sockets")
        let request = Array("GET \(pixel) HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".utf8)
        var slowCutBy: Date?
        var gone = Set<Int32>()
        func closed(_ fd: Int32) -> Bool {
            if !gone.contains(fd), LoopbackClient.isClosedByPeer(fd) { gone.insert(fd) }
            return gone.contains(fd)
        }
        let start = Date()
        for second in 0..<6 {
            for fd in slow where !closed(fd) {
                if !LoopbackClient.send(fd, [request[second]]) { gone.insert(fd) }
            }
            assertNormalClientServed(port, "during the flood, second \(second)")
            XCTAssertTrue(server.isRunning, "the server died in second \(second): \(lines.text)")
            if slowCutBy == nil, slow.allSatisfy(closed) { slowCutBy = Date() }
            usleep(1_000_000)
        }
        let heldFromOne = oneAddress.filter { !closed($0) }.count
        XCTAssertLessThanOrEqual(heldFromOne, 64, "one address holds at most its cap")
        XCTAssertNotNil(slowCutBy, "slowloris clients outlived the header timeout")
        if let slowCutBy { XCTAssertLessThan(slowCutBy.timeIntervalSince(start), 5.5) }
        let stillOpen = sockets.filter { !closed($0) }.count
        let slowOpen = slow.filter { !closed($0) }.count
        XCTAssertEqual(stillOpen, 0, "idle connections outlived the idle timeout (\(slowOpen) slow among them)")
        XCTAssertTrue(server.isRunning, lines.text)
        assertNormalClientServed(port, "after the flood")
        kill(server.processIdentifier, SIGTERM)
        server.waitUntilExit()
        XCTAssertEqual(server.terminationReason, .exit, "ended by SIGTERM, not a crash: \(lines.text)")
    }
}

/// Standard error lines of a running server, and the port it says it listens on.
final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ d: Data) { lock.withLock { data.append(d) } }
    var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }

    var port: Int? {
        guard let range = text.range(of: #"listening on 127\.0\.0\.1:(\d+)"#, options: .regularExpression) else { return nil }
        return Int(text[range].split(separator: ":").last ?? "")
    }
}
