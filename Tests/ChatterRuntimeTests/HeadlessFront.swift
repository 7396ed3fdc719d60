import ChatterRuntime
import ChatterUI
import Foundation
import TermGrid
import TrackingModel
import TrackingStore
import XCTest

/// A clock that moves only when told: ticks and relative times in the frame
/// do not depend on when the test ran.
final class FakeClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Double

    init(_ seconds: Double) { self.seconds = seconds }

    func now() -> Double { lock.withLock { seconds } }

    func advance(by delta: Double) { lock.withLock { seconds += delta } }
}

/// Keys typed by the test: queued, with a pipe the loop's poll(2) wakes on.
final class ScriptedKeys: KeySource {
    private var queue: [Key] = []
    private let readFD: Int32
    private let writeFD: Int32

    init() throws {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { throw RuntimeTestError("cannot create the key pipe") }
        readFD = fds[0]
        writeFD = fds[1]
        _ = fcntl(readFD, F_SETFL, fcntl(readFD, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(readFD)
        close(writeFD)
    }

    var pollFDs: [Int32] { [readFD] }

    /// Queues keys and wakes the loop.
    func type(_ keys: Key...) {
        queue += keys
        var byte: UInt8 = 1
        _ = write(writeFD, &byte, 1)
    }

    func readKey(timeoutMs: Int) -> Key? {
        guard !queue.isEmpty else {
            var buf = [UInt8](repeating: 0, count: 64)
            while read(readFD, &buf, buf.count) > 0 {}
            return nil
        }
        return queue.removeFirst()
    }
}

struct RuntimeTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The real front (loop, inbox, effect runner, store watcher) on a fresh demo
/// store, drawn on a `HeadlessBackend`, driven by scripted keys and a fake
/// clock, the way bubbletea's teatest drives a program: type keys, then step
/// the loop until the screen or the state shows what is awaited, with a deadline.
final class HeadlessFront {
    static let now: Double = 1_764_000_000
    let dir: URL
    let path: String
    let store: TrackingStore
    let me: PartnerRef
    let backend = HeadlessBackend(size: Size(width: 120, height: 40))
    let keys: ScriptedKeys
    let clock = FakeClock(HeadlessFront.now)
    let front: Front
    let loop: FrontLoop

    /// A front on a demo store of `size` threads; `changes` replaces the
    /// store's own change source (SQLite's data_version poll).
    init(size: Int = 60, changes: (any ChangeSource)? = nil) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        path = dir.appendingPathComponent("front.sqlite").path
        let dataset = try DemoDataset.load(from: Data(contentsOf: Self.assetURL("demo/dataset.json")))
        var options = DemoOptions()
        options.size = size
        options.now = Self.now
        _ = try TrackingStore.buildDemo(at: path, dataset, options: options)
        store = try TrackingStore(path: path)
        me = try XCTUnwrap(try store.findUser(email: XCTUnwrap(dataset.me.email)))
        keys = try ScriptedKeys()
        var configuration = FrontConfiguration(me: me)
        // No config.toml here: the header says "poller off", as with no sources.
        configuration.pollerConfigPath = dir.appendingPathComponent("config.toml").path
        front = try Front(store: store, configuration: configuration, clock: clock, changes: changes)
        loop = front.start(
            on: backend, keys: keys, display: DisplayOptions(ascii: false, colorMode: .color256, utcOffset: 0))
    }

    deinit {
        front.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    /// What the headless screen shows now.
    var screen: String { backend.grid.text }
    var state: AppState { loop.state }

    /// Steps the loop until `done` holds (checked after each wake-up), failing
    /// the test with the screen when `timeout` seconds pass first.
    @discardableResult
    func wait(
        _ what: String, timeout: Double = 5, file: StaticString = #filePath, line: UInt = #line,
        until done: (HeadlessFront) -> Bool
    ) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if done(self) { return true }
            if !loop.step(maxWaitMs: 20) { return done(self) }
        }
        if done(self) { return true }
        XCTFail("timed out waiting for \(what); screen:\n\(screen)", file: file, line: line)
        return false
    }

    /// Steps the loop for `seconds` of real time (answers in flight come back).
    func settle(_ seconds: Double = 0.4) {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline, loop.step(maxWaitMs: 20) {}
    }

    /// The first frame with the thread list and the counters loaded.
    func waitLoaded(file: StaticString = #filePath, line: UInt = #line) {
        wait("the loaded front", file: file, line: line) {
            !$0.state.threads.loading && $0.state.threads.rows.count > 2 && $0.state.counts.failed != nil
                && $0.state.counts.inbox != nil
        }
    }

    static func assetURL(_ path: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets").appendingPathComponent(path)
    }
}
