import Foundation
import GRDB
import TrackingModel

/// One message of the demo with everything written for it, made by the
/// generator thread and written by the database thread.
struct DemoRows: Sendable {
    struct Recipient: Sendable {
        var kind: String
        var partnerId: Int64?
        var address: String?
        var display: String
    }

    struct Tracking: Sendable {
        var partnerId: Int64?
        var recipient: String
        var address: String?
        var cc: Bool
        var token: String
        var status: TrackingStatus
        var events: [NewEvent]
    }

    var id: Int64
    var threadId: Int64
    var authorId: Int64
    var date: Double
    var subject: String
    var body: String
    var messageId: String
    var emailTo: String
    var emailCc: String
    var tracked: Bool
    var needsAction: Bool
    var failedCount: Int
    var recipients: [Recipient]
    var trackings: [Tracking]
}

/// Hands chunks of generated rows from the generator thread to the writer,
/// holding at most a few chunks in memory.
final class DemoPipe: @unchecked Sendable {
    private let condition = NSCondition()
    private var chunks: [[DemoRows]] = []
    private var finished = false
    private var cancelled = false
    private let capacity = 3

    /// Queues a chunk; false once the writer gave up (the generator stops).
    @discardableResult
    func put(_ chunk: [DemoRows]) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while chunks.count >= capacity && !cancelled { condition.wait() }
        guard !cancelled else { return false }
        chunks.append(chunk)
        condition.broadcast()
        return true
    }

    /// The writer failed: release the generator.
    func cancel() {
        condition.lock()
        cancelled = true
        chunks = []
        condition.broadcast()
        condition.unlock()
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next chunk, or nil once the generator finished and all were taken.
    func take() -> [DemoRows]? {
        condition.lock()
        defer { condition.unlock() }
        while chunks.isEmpty && !finished { condition.wait() }
        guard !chunks.isEmpty else { return nil }
        let chunk = chunks.removeFirst()
        condition.broadcast()
        return chunk
    }
}
