import ChatterUI
import Foundation
import TrackingModel
import TrackingStore
import XCTest

@testable import ChatterRuntime

/// The front's threads: the effect runner's writer keeps the order of writes
/// and finishes them on stop, and `Front.stop` ends every thread it started.
final class FrontThreadsTests: XCTestCase {
    /// Forty posts asked for in a row, slow and quick mixed, are committed in that
    /// order (ids follow the order asked), all before `stop` returns, each answered.
    func testTheRunnerCommitsWritesInTheOrderAskedAndFinishesThemOnStop() throws {
        let f = try HeadlessFront()
        let inbox = try Inbox()
        let pokes = Counter()
        let runner = EffectRunner(store: f.store, me: f.me, inbox: inbox, afterWrite: { pokes.add() })
        runner.start()
        let count = 40
        // Every fourth post is slow (300 recipients): a small one asked after it must still commit after it.
        let crowd = (1...300).map { "Order Crowd \($0) <order.crowd\($0)@example.com>" }
        for i in 1...count {
            runner.post(
                PostRequest(
                    thread: ThreadRef(model: "order", key: "1"), threadName: "Write order", authorId: f.me.id,
                    to: i % 4 == 1 ? crowd : ["Order Target <order.target@example.com>"], subject: "Write \(i)",
                    body: "In order.", date: HeadlessFront.now + 60))
        }
        runner.stop()
        XCTAssertEqual(pokes.value, count, "every write poked the watcher")
        let answers = inbox.drain().filter { if case .messagePosted = $0 { return true } else { return false } }
        XCTAssertEqual(answers.count, count)
        let thread = try XCTUnwrap(try f.store.thread(ThreadRef(model: "order", key: "1"), limit: 100))
        let subjects = thread.history.sorted { $0.id < $1.id }.map(\.subject)
        XCTAssertEqual(subjects, (1...count).map { "Write \($0)" })
    }

    /// Every thread the front started ends on `stop` (the watcher and the writer are joined).
    func testStopEndsTheFrontsThreads() throws {
        let f = try HeadlessFront()
        f.waitLoaded()
        let ours = { threadNames().filter { $0.hasPrefix("chatter.") } }
        let all = ["chatter.watch", "chatter.write"] + (1...EffectRunner.readerCount).map { "chatter.read.\($0)" }
        // A thread names itself when it first runs: give a busy machine a moment.
        XCTAssertTrue(eventually { Set(all).isSubset(of: ours()) }, "running: \(threadNames())")
        f.front.stop()
        XCTAssertTrue(eventually { ours().isEmpty }, "left running: \(ours())")
    }
}
