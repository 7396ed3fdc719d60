import DeliverySignals
import EventIngest
import Foundation
import TestSupport
import TrackingModel
import XCTest

/// What each stage of the Postfix pipeline produces (read + split, scan, correlate),
/// run the way `chatter-bench parse` runs them, on a small seeded log whose outcomes are known.
/// Timing the stages is the bench's job (`chatter-bench parse`, `scripts/bench-ingest.sh`), not the suite's.
final class PostfixStagesTests: XCTestCase {
    /// One generated message: its queue id, Message-ID, recipient and outcome.
    private struct Message {
        var queueId: String
        var messageId: String
        var recipient: String
        /// The event type the outcome must give.
        var type: String
    }

    /// `count` messages in the bench's shape (pickup, cleanup, qmgr, smtp, removed), with a seeded
    /// outcome each: delivered (250), hard bounce (550 5.1.1) or deferral (452 4.2.2: still queued, no `removed`).
    private static func seededLog(count: Int, seed: UInt64) -> (text: String, messages: [Message]) {
        var rng = SeededGenerator(seed: seed)
        var text = ""
        var messages: [Message] = []
        for i in 0..<count {
            let queueId = String(format: "%04X%06X", i, rng.next() & 0xFF_FFFF)
            let messageId = "seed.\(i).\(rng.next() % 1000)@app.example"
            let recipient = "user\(rng.next() % 1000)@remote\(i % 7).example"
            let stamp = String(format: "Nov 25 10:%02d:%02d", i / 60 % 60, i % 60)
            let status: String
            let type: String
            switch rng.next() % 3 {
            case 0:
                status = "dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as B\(i))"
                type = "delivered"
            case 1:
                status = "dsn=5.1.1, status=bounced (host mx.example.net[192.0.2.1] said: 550 5.1.1 <\(recipient)>: User unknown (in reply to RCPT TO command))"
                type = "hard_bounce"
            default:
                status = "dsn=4.2.2, status=deferred (host mx.example.net[192.0.2.1] said: 452 4.2.2 <\(recipient)>: Mailbox full, try again later (in reply to RCPT TO command))"
                type = "deferral"
            }
            text += "\(stamp) mx postfix/pickup[100]: \(queueId): uid=1000 from=<app>\n"
            text += "\(stamp) mx postfix/cleanup[101]: \(queueId): message-id=<\(messageId)>\n"
            text += "\(stamp) mx postfix/qmgr[102]: \(queueId): from=<app@yourcompany.example>, size=2048, nrcpt=1 (queue active)\n"
            text += "\(stamp) mx postfix/smtp[103]: \(queueId): to=<\(recipient)>, relay=mx.example.net[192.0.2.1]:25, delay=1.2, delays=0.1/0/0.5/0.6, \(status)\n"
            if type != "deferral" { text += "\(stamp) mx postfix/qmgr[102]: \(queueId): removed\n" }
            messages.append(Message(queueId: queueId, messageId: messageId, recipient: recipient, type: type))
        }
        return (text, messages)
    }

    func testEveryStageSeesEveryLineAndCorrelateGivesTheSeededOutcomes() throws {
        let (text, messages) = Self.seededLog(count: 60, seed: 1125)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pf-stages-\(UUID().uuidString).log")
        try Data(text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let expectedLines = text.utf8.filter { $0 == 10 }.count
        XCTAssertEqual(expectedLines, messages.count * 5 - messages.filter { $0.type == "deferral" }.count)
        let expectedByType = Dictionary(grouping: messages, by: \.type).mapValues(\.count)
        XCTAssertEqual(expectedByType.count, 3, "the seed gives every outcome")

        for stage in ["split", "scan", "correlate"] {
            let tailer = LogTailer(path: file.path, cursor: nil, options: LogTailerOptions(backfillRotated: false, bufferSize: 1 << 16))
            var parser = PostfixLineParser(referenceTime: PostfixFixture.captureReference)
            let links = InMemoryQueueLinkStore()
            let ingestor = PostfixFixture.ingestor(links: links)
            var lines = 0
            var accepted = 0
            var events: [ParsedEvent] = []
            var quarantined = 0
            while true {
                var batchLines = 0
                try tailer.read(maxLines: 100, maxBytes: 1 << 16) { line, offset, path in
                    batchLines += 1
                    switch stage {
                    case "split":
                        break
                    case "scan":
                        if case .line = parser.scan(line) { accepted += 1 }
                    default:
                        switch try ingestor.ingest(line, offset: offset, path: path) {
                        case .events(let e): events += e
                        case .quarantined: quarantined += 1
                        case .skipped: break
                        }
                    }
                }
                lines += batchLines
                if batchLines == 0 { break }
            }
            XCTAssertEqual(lines, expectedLines, stage)
            switch stage {
            case "scan":
                XCTAssertEqual(accepted, expectedLines, "\(stage): every line is a Postfix line")
            case "correlate":
                XCTAssertEqual(quarantined, 0)
                XCTAssertEqual(ingestor.counts.lines, expectedLines)
                XCTAssertEqual(ingestor.counts.events, messages.count)
                XCTAssertEqual(Dictionary(grouping: events, by: \.typeName).mapValues(\.count), expectedByType)
                XCTAssertEqual(Set(events.map(\.key)).count, events.count, "keys are unique")
                // Every event tied back through its queue id's link to the right message and recipient.
                XCTAssertEqual(events.count, messages.count)
                for (event, message) in zip(events, messages) {
                    XCTAssertEqual(event.tieBack.queueId, message.queueId)
                    XCTAssertEqual(event.tieBack.messageId, message.messageId, message.queueId)
                    XCTAssertEqual(event.recipient, message.recipient, message.queueId)
                    XCTAssertEqual(event.typeName, message.type, message.queueId)
                    XCTAssertEqual(event.source.rawValue, "postfix")
                }
                XCTAssertEqual(links.count, messages.count, "one queue link per message")
                for message in messages {
                    let link = try XCTUnwrap(links.latestLink(host: "mx", queueId: message.queueId), message.queueId)
                    XCTAssertEqual(link.messageId, message.messageId)
                    XCTAssertEqual(link.sender, "app@yourcompany.example")
                    XCTAssertEqual(link.removedAt == nil, message.type == "deferral", "only the deferred stay in the queue")
                }
            default:
                break
            }
        }
    }
}
