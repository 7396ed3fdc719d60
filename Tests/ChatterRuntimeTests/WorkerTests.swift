import Foundation
import XCTest

@testable import ChatterRuntime

/// The runtime's one concurrency style: owned threads that stop and join, a
/// pool that keeps order with one thread and runs side by side with several,
/// and the one bridge to async code.
final class WorkerTests: XCTestCase {
    func testAWorkerRestsUntilWokenAndStopsAndJoins() {
        let worker = Worker(name: "chatter.test")
        let rounds = Counter()
        worker.start { worker in
            // Rests far longer than the test: only a wake or the stop ends a rest.
            while worker.rest(60) { rounds.add() }
        }
        XCTAssertTrue(eventually { threadNames().contains("chatter.test") }, "the thread carries its name")
        worker.wake()
        XCTAssertTrue(eventually { rounds.value == 1 }, "a wake ended the rest")
        let started = Date()
        worker.stop()
        XCTAssertTrue(worker.hasFinished, "stop returned only once the body had")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the stop ended the 60 s rest")
        XCTAssertEqual(rounds.value, 1, "a stop is not a round")
        XCTAssertTrue(eventually { !threadNames().contains("chatter.test") }, "the thread is gone")
    }

    func testAStopReachesABodyBlockedElsewhere() {
        let worker = Worker(name: "chatter.test2")
        let blocker = WakeSignal()
        worker.start { worker in
            worker.interruptible(by: { blocker.raise() }) {
                _ = blocker.wait(seconds: .infinity)
            }
        }
        usleep(50_000)
        worker.stop()
        XCTAssertTrue(worker.hasFinished)
    }

    func testAWorkerNeverStartedStopsAtOnce() {
        let worker = Worker(name: "chatter.idle")
        worker.stop()
        XCTAssertTrue(worker.join(seconds: 0))
        XCTAssertFalse(worker.hasFinished, "nothing ran")
    }

    func testOneThreadRunsJobsInTheOrderTheyCameAndFinishesThemOnStop() {
        let pool = WorkerPool(name: "chatter.test-write", threads: 1)
        pool.start()
        let order = Recorder()
        for i in 0..<500 {
            pool.submit {
                if i % 50 == 0 { usleep(2_000) }  // a slow job now and then must not let the next pass it
                order.append(i)
            }
        }
        pool.stop(.finish, wait: true)
        XCTAssertEqual(order.values, Array(0..<500))
        pool.submit { order.append(-1) }
        usleep(20_000)
        XCTAssertEqual(order.values.count, 500, "a stopped pool takes no job")
    }

    func testSeveralThreadsRunJobsSideBySideAndDropWhatWaitsOnStop() {
        let pool = WorkerPool(name: "chatter.test-read", threads: 4)
        pool.start()
        let arrived = Counter()
        let release = WakeSignal()
        let ran = Counter()
        // Four jobs that each wait for all four: they finish only if four threads run them at once.
        for _ in 0..<4 {
            pool.submit {
                arrived.add()
                while arrived.value < 4 { usleep(1_000) }
                _ = release.wait(seconds: 5)
                release.raise()
                ran.add()
            }
        }
        XCTAssertTrue(eventually { arrived.value == 4 }, "four jobs ran side by side")
        // Queued behind the four busy threads: dropped by the stop.
        for _ in 0..<10 { pool.submit { ran.add() } }
        pool.stop(.drop, wait: false)
        release.raise()
        XCTAssertTrue(eventually { ran.value == 4 })
        usleep(50_000)
        XCTAssertEqual(ran.value, 4, "the queued jobs were dropped")
    }

    func testTheAsyncBridgeRunsToTheEndAndAStopCancelsIt() {
        let worker = Worker(name: "chatter.test-async")
        let outcome = Recorder()
        worker.start { worker in
            do {
                try worker.runToCompletion {
                    try await Task.sleep(nanoseconds: 10_000_000)
                }
                outcome.append(1)
                try worker.runToCompletion {
                    try await Task.sleep(nanoseconds: 60_000_000_000)
                }
                outcome.append(2)
            } catch is CancellationError {
                outcome.append(3)
            } catch {
                outcome.append(4)
            }
        }
        XCTAssertTrue(eventually { outcome.values == [1] }, "the first body ran to its end")
        usleep(50_000)
        let started = Date()
        worker.stop()
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the stop cancelled the 60 s sleep")
        XCTAssertEqual(outcome.values, [1, 3], "the cancelled body threw CancellationError to the thread")
    }
}

/// Names of this process's threads (Linux keeps the first 15 bytes).
func threadNames() -> [String] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
    return tasks.compactMap {
        (try? String(contentsOfFile: "/proc/self/task/\($0)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// True once `condition` holds, checked every 10 ms for at most `seconds`.
func eventually(_ seconds: Double = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(10_000)
    }
    return condition()
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [Int] = []
    func append(_ v: Int) { lock.withLock { list.append(v) } }
    var values: [Int] { lock.withLock { list } }
}
