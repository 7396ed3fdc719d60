import Foundation
import PixelServer
import TrackingModel
import TrackingStore
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// The connection gate's rules, and the idle / header / body deadlines over real HTTP.
final class ConnectionLimitTests: XCTestCase {
    private var dir: URL!

    override func setUp() {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-limits-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    func testGateCapsEachAddressShedsWhenFullAndEvictsOnlyFromAMuchHeavierAddress() {
        let counters = PixelCounters()
        let evicted = LockedIds()
        let gate = ConnectionGate(
            limits: ConnectionLimits(maxConnections: 6, maxPerAddress: 4), counters: counters,
            isExempt: { $0 == "10.0.0.9" })
        func admit(_ address: String, _ tag: Int) -> ConnectionGate.Admission {
            gate.admit(address: address) { evicted.add(tag) }
        }
        let a = (0..<4).map { admit("10.0.0.1", $0) }
        XCTAssertTrue(a.allSatisfy { if case .admitted = $0 { true } else { false } })
        XCTAssertEqual(admit("10.0.0.1", 99), .shedPerAddress, "the fifth from one address")
        _ = admit("10.0.0.2", 10)
        _ = admit("10.0.0.2", 11)
        XCTAssertEqual(gate.open, 6)
        // Full. 10.0.0.3 (none held) evicts the oldest of the heaviest address (10.0.0.1, 4 held).
        guard case .admitted = admit("10.0.0.3", 20) else { return XCTFail("a newcomer is admitted by eviction") }
        XCTAssertEqual(evicted.ids, [0])
        XCTAssertEqual(gate.open, 6)
        // Now 3/2/1: a newcomer of 10.0.0.3 (1 held) still finds an address two heavier; then 2/2/2.
        guard case .admitted = admit("10.0.0.3", 21) else { return XCTFail("3 >= 1 + 2") }
        XCTAssertEqual(evicted.ids, [0, 1])
        XCTAssertEqual(counters["connectionShedPerAddress"], 1)
        XCTAssertEqual(counters["connectionEvicted"], 2)
        // Every address holding one (a spread flood): a newcomer is shed, nobody is evicted.
        let spread = ConnectionGate(limits: ConnectionLimits(maxConnections: 2, maxPerAddress: 4), counters: counters)
        _ = spread.admit(address: "10.1.0.1", close: { evicted.add(40) })
        _ = spread.admit(address: "10.1.0.2", close: { evicted.add(41) })
        XCTAssertEqual(spread.admit(address: "10.1.0.3", close: {}), .shedFull)
        XCTAssertEqual(counters["connectionShed"], 1)
        XCTAssertEqual(evicted.ids, [0, 1])
        // A released connection frees its slot; releasing an evicted one changes nothing.
        if case .admitted(let id) = a[0] { gate.release(id) }
        XCTAssertEqual(gate.open, 6)
        if case .admitted(let id) = a[3] { gate.release(id) }
        XCTAssertEqual(gate.open, 5)
        // A trusted proxy has no per-address cap.
        let proxy = ConnectionGate(limits: ConnectionLimits(maxConnections: 100, maxPerAddress: 2), isExempt: { $0 == "10.0.0.9" })
        XCTAssertEqual((0..<10).filter { _ in if case .admitted = proxy.admit(address: "10.0.0.9", close: {}) { true } else { false } }.count, 10)
        XCTAssertEqual(ConnectionLimits.defaultMaxConnections(descriptorLimit: 1024), 896)
        XCTAssertEqual(ConnectionLimits.defaultMaxConnections(descriptorLimit: 1 << 20), 10_000)
        XCTAssertLessThan(ConnectionLimits.acceptPauseThreshold(maxConnections: 896, descriptorLimit: 1024), 1024)
    }

    func testIdleHeaderAndBodyDeadlinesCloseSlowConnectionsAndNormalRequestsPass() async throws {
        let store = try TrackingStore(path: dir.appendingPathComponent("s.sqlite").path)
        let limits = ConnectionLimits(maxConnections: 100, idleTimeout: 0.6, headerTimeout: 0.6, bodyTimeout: 0.6)
        let ready = AsyncStream<Int>.makeStream()
        let app = PixelServer.application(
            store: store,
            options: PixelServerOptions(
                host: "127.0.0.1", port: 0, webhooks: WebhookOptions(mailgunSigningKey: "k"), limits: limits),
            onRunning: { ready.continuation.yield($0) })
        let task = Task { try await app.runService() }
        defer { task.cancel() }
        var ports = ready.stream.makeAsyncIterator()
        let first = await ports.next()
        let port = try XCTUnwrap(first)

        // A normal request is answered, and the kept-alive connection is closed once idle.
        let probe = try HTTPProbe(port: port)
        XCTAssertEqual(try probe.get("/t/1/ab/blank.gif").body.count, 43)
        usleep(1_200_000)
        XCTAssertThrowsError(try probe.get("/t/1/ab/blank.gif"), "closed after the idle timeout")

        let idle = try RawSocket(port: port)
        let slow = try RawSocket(port: port)
        let noBody = try RawSocket(port: port)
        noBody.send("POST /webhooks/mailgun HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\":")
        let start = Date()
        // Slowloris: a header byte every 200 ms keeps it busy but never ends the head.
        var slowClosedAt: Double?
        for (i, byte) in "GET /t/1/ab/blank.gif HTTP/1.1\r\nX: aaaaaaaa".utf8.enumerated() where slowClosedAt == nil {
            if !slow.send([byte]) || slow.isClosed { slowClosedAt = Date().timeIntervalSince(start) }
            usleep(200_000)
            if i > 20 { break }
        }
        let closedBy = Date().timeIntervalSince(start)
        XCTAssertNotNil(slowClosedAt, "the header deadline cut the slow client")
        XCTAssertLessThan(slowClosedAt ?? 99, 2.5)
        XCTAssertTrue(idle.isClosed, "a connection that sends nothing is closed by the idle deadline")
        XCTAssertTrue(noBody.isClosed, "a body that never ends is cut by the body deadline (\(closedBy) s)")
    }
}

/// Ids collected from eviction callbacks.
private final class LockedIds: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int] = []
    func add(_ id: Int) { lock.withLock { values.append(id) } }
    var ids: [Int] { lock.withLock { values } }
}

/// A blocking loopback socket that can tell when the server closed it.
private final class RawSocket {
    private let fd: Int32
    private var closedSeen = false

    init(port: Int) throws {
        fd = try connectLoopback(port: port)
    }

    deinit { close(fd) }

    @discardableResult
    func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// False once the peer is gone.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n < 0 { closedSeen = true }
        return n >= 0
    }

    /// True when the server closed the connection (end of file or reset).
    var isClosed: Bool {
        if closedSeen { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { continue }
            closedSeen = n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
            return closedSeen
        }
    }
}
