import ChatterUI
import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import ChatterRuntime

/// The store watcher waits on a `ChangeSource`: SQLite's `data_version` poll in
/// use, and any other source (a server's notifications) without a change to the loop.
final class ChangeSourceTests: XCTestCase {
    /// Several commits between two looks are one `.changed`; then it is quiet.
    func testTheDataVersionSourceReportsCommitsOnceAndCoalescesThem() throws {
        let f = try HeadlessFront()
        let source = try DataVersionChangeSource(path: f.path, interval: 0.05)
        XCTAssertEqual(source.feed, .polling(every: 0.05))
        XCTAssertEqual(source.waitForChange(timeout: 1), .quiet)
        for i in 1...5 { try postMessage(f, subject: "Commit \(i)") }
        XCTAssertEqual(source.waitForChange(timeout: 1), .changed)
        XCTAssertEqual(source.waitForChange(timeout: 1), .quiet, "five commits were one change")
    }

    /// `wake()` (after our own writes, and on stop) ends a long interval at once, even when called before the wait.
    func testWakeEndsTheIntervalAtOnce() throws {
        let f = try HeadlessFront()
        let source = try DataVersionChangeSource(path: f.path, interval: 30)
        try postMessage(f, subject: "Own write")
        source.wake()
        let started = Date()
        XCTAssertEqual(source.waitForChange(timeout: 30), .changed)
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the wake did not wait for the 30 s interval")
    }

    /// A source other than the poll drives the same loop: a commit shows on
    /// screen only when the source signals it, and its feed reaches the header model.
    func testAnotherSourcesSignalReachesTheFrameAndItsFeedTheHeader() throws {
        let source = ScriptedChangeSource(feed: .live)
        let f = try HeadlessFront(changes: source)
        f.waitLoaded()
        XCTAssertEqual(f.state.header.changes, .live)
        XCTAssertEqual(f.front.changeFeed, .live)
        try postMessage(f, subject: "Heard by notification", thread: "Scripted source thread")
        f.settle(0.5)
        XCTAssertFalse(f.screen.contains("Scripted source thread"), "nothing polls: no signal, no reload")
        source.signal()
        f.wait("the signalled change on screen") { $0.screen.contains("Scripted source thread") }

        source.feed = .polling(every: 1)
        source.wake()
        f.wait("the new feed in the header model") { $0.state.header.changes == .polling(every: 1) }
    }

    /// The front's own source is the data_version poll, at the configured interval.
    func testTheFrontPollsSQLiteByDefault() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        XCTAssertEqual(f.state.header.changes, .polling(every: 0.2))
    }

    private func postMessage(_ f: HeadlessFront, subject: String, thread: String = "Change source thread") throws {
        let writer = try TrackingStore(path: f.path)
        _ = try writer.post(
            PostRequest(
                thread: ThreadRef(model: "changes", key: thread), threadName: thread, authorId: f.me.id,
                subject: subject, body: "A commit from another connection.", date: HeadlessFront.now + 60,
                tracked: false))
    }
}

/// A change source the test signals by hand: stands for one that is told of
/// commits (no store behind it polls), to show the loop needs only the protocol.
final class ScriptedChangeSource: ChangeSource, @unchecked Sendable {
    private let condition = NSCondition()
    private var pending = false
    private var woken = false
    private var current: ChangeFeed

    init(feed: ChangeFeed) { current = feed }

    var feed: ChangeFeed {
        get { condition.withLock { current } }
        set { condition.withLock { current = newValue } }
    }

    /// A change as a notification would tell it.
    func signal() {
        condition.withLock {
            pending = true
            condition.broadcast()
        }
    }

    func waitForChange(timeout: Double) -> ChangeSignal {
        condition.withLock {
            let deadline = Date().addingTimeInterval(timeout)
            while !pending, !woken, condition.wait(until: deadline) {}
            woken = false
            if pending {
                pending = false
                return .changed
            }
            return .quiet
        }
    }

    func wake() {
        condition.withLock {
            woken = true
            condition.broadcast()
        }
    }
}
