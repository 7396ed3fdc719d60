import ChatterUI
import Foundation
import TermGrid
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

@testable import ChatterRuntime

/// The real loop, headless: scripted keys, a real SQLite store, a fake clock.
/// What only a terminal shows (colours, resize, signals) stays with the tmux tests.
final class FrontLoopTests: XCTestCase {
    /// Many `.storeChanged` in the inbox before the loop wakes are one reload.
    func testABurstOfChangeNoticesIsOneReload() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        f.settle()
        let before = f.front.loadsStarted
        for _ in 0..<50 { f.front.post(.storeChanged) }
        f.settle()
        let loads = f.front.loadsStarted - before
        XCTAssertGreaterThanOrEqual(loads, 2, "the change reloaded the counts and the thread list")
        // One reload: the Failed counter, the Inbox count and the thread list (no thread is open).
        XCTAssertLessThanOrEqual(loads, 3, "50 change notices caused \(loads) loads")
    }

    /// A burst of commits from another connection, written while the loop runs,
    /// causes fewer loads than commits (the watcher looks at `data_version` a few
    /// times a second, the inbox keeps one pending change, the runner skips
    /// superseded loads), and the frame ends on the last one.
    func testABurstOfCommitsIsCoalescedAndTheLastReachesTheFrame() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        f.settle()
        let before = f.front.loadsStarted
        let commits = 60
        let writer = try TrackingStore(path: f.path)
        let me = f.me
        let done = DispatchSemaphore(value: 0)
        let failure = FailureBox()
        Thread.detachNewThread {
            do {
                for i in 1...commits {
                    _ = try writer.post(
                        PostRequest(
                            thread: ThreadRef(model: "burst", key: "1"), threadName: "Burst thread", authorId: me.id,
                            subject: "Burst \(i)", body: "One of a burst of commits.", date: HeadlessFront.now + Double(i),
                            tracked: false))
                    // Spread over about a second: the watcher sees several of them, not one.
                    usleep(15_000)
                }
            } catch {
                failure.set("\(error)")
            }
            done.signal()
        }
        f.wait("the last commit on screen", timeout: 15) {
            $0.state.threads.rows.first { $0.name == "Burst thread" }?.messageCount == commits
                && $0.screen.contains("Burst thread")
        }
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        XCTAssertNil(failure.get())
        f.settle()
        let loads = f.front.loadsStarted - before
        XCTAssertGreaterThan(loads, 0)
        XCTAssertLessThan(loads, commits, "\(commits) commits caused \(loads) loads: not coalesced")
    }

    /// An answer for a thread no longer selected is dropped: the state keeps the
    /// selected thread and not one cell of the frame is rewritten.
    func testAStaleThreadAnswerIsDroppedAndTheFrameIsUnchanged() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        let rows = f.state.threads.rows
        let (a, b) = (rows[0], rows[1])
        f.keys.type(.enter)
        f.wait("thread A open") { $0.state.chatter.view?.thread.id == a.id }
        f.settle()
        let screenA = f.screen
        let staleA = try EffectRunner.thread(f.store, id: a.id, around: nil)
        f.keys.type(.escape, .char("j"), .enter)
        f.wait("thread B open") { $0.state.chatter.view?.thread.id == b.id }
        f.settle()
        let screenB = f.screen
        XCTAssertNotEqual(screenA, screenB, "the two threads look different, so a stale A would show")

        f.backend.resetCounters()
        f.front.post(.threadLoaded(staleA))
        f.wait("the stale answer handled") { $0.backend.flushes > 0 }
        XCTAssertEqual(f.state.chatter.view?.thread.id, b.id)
        XCTAssertEqual(f.state.chatter.requested, b.id)
        XCTAssertEqual(f.backend.cellsWritten, 0, "the stale answer rewrote cells")
        XCTAssertEqual(f.screen, screenB)
    }

    /// `q` on the top level quits through `update`: the state says quitting and
    /// the loop stops without writing another frame.
    func testQQuitsThroughUpdate() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        XCTAssertEqual(f.state.focus, .threads)
        XCTAssertFalse(f.state.quitting)
        f.settle()
        f.backend.resetCounters()
        f.keys.type(.char("q"))
        var steps = 0
        while f.loop.step(maxWaitMs: 200), steps < 50 { steps += 1 }
        XCTAssertTrue(f.state.quitting)
        XCTAssertLessThan(steps, 50, "the loop did not stop")
        XCTAssertEqual(f.backend.flushes, 0, "no frame after quitting")
        XCTAssertFalse(f.loop.step(maxWaitMs: 0), "a quit loop stays stopped")
    }

    /// Ctrl-L goes through `update` too: its `.redrawAll` reaches the backend and
    /// the next frame is written whole.
    func testRefreshRepaintsTheWholeScreen() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        f.settle()
        f.backend.resetCounters()
        f.keys.type(.ctrl("l"))
        f.wait("the repaint") { $0.backend.fullRedraws == 1 && $0.backend.flushes > 0 }
        XCTAssertGreaterThanOrEqual(f.backend.cellsWritten, 120 * 40 / 2, "the frame after Ctrl-L is written whole")
    }

    /// Another process (the built `chatter`) posts a message: the watcher sees
    /// the commit and the headless screen shows the new thread within the deadline.
    func testAnotherProcessChangeReachesTheFrame() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        XCTAssertFalse(f.screen.contains("Runtime live thread"))
        let r = try ChatterBinary.run([
            "post", "--db", f.path, "--as", f.me.email ?? "", "--thread", "runtime/live", "--thread-name",
            "Runtime live thread", "--to", "Live Target <live.target@example.com>", "--subject", "Runtime live",
            "--body", "Hello from another process.",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        f.wait("the other process's thread on screen", timeout: 5) { $0.screen.contains("Runtime live thread") }
    }
}

/// A failure text handed from the writer thread to the test.
private final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var text: String?
    func set(_ t: String) { lock.withLock { text = t } }
    func get() -> String? { lock.withLock { text } }
}
