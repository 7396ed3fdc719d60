import DeliverySignals
import EventIngest
import Foundation
import MailFormat
import TestSupport
import XCTest

/// A seeded mutation loop over the real captures and the provider fixtures: every
/// parser must return events or quarantine records, never crash or hang.
/// (The 1M-input fuzzing runs outside the unit suite; this keeps a fast guard.)
final class IngestMutationTests: XCTestCase {
    /// Fragments that steer mutations into the interesting corners of the parsers.
    private let tokens: [[UInt8]] = [
        "\n\n", "\r\n", "--", "=?utf-8?B?", "?=", "=?iso-2022-jp?Q?=1B", "=\n", "=C3", "boundary=\"x\"",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=ECD18FA0CA.1795607336/vm\n",
        "Content-Type: message/rfc822\n", "Content-Transfer-Encoding: base64\n", "Action: ", "Status: 9.99.999",
        "\"timestamp\":1e308", "\"timestamp\":\"9999-99-99T99:99:99Z\"", "{", "}", "[", "]", "null", "\"\\u0000\"",
        "From ", "X-Failed-Recipients: ", "Feedback-Type: abuse\n", "\u{FEFF}", "İ",
    ].map { Array($0.utf8) }

    private func mutate(_ seed: [UInt8], other: [UInt8], random: inout SeededGenerator) -> [UInt8] {
        var bytes = seed
        for _ in 0..<(1 + random.below(4)) {
            let position = random.below(bytes.count + 1)
            switch random.below(6) {
            case 0 where !bytes.isEmpty:
                let index = min(position, bytes.count - 1)
                bytes[index] ^= UInt8(1 << random.below(8))
            case 1:
                bytes = Array(bytes.prefix(position))
            case 2:
                let start = random.below(other.count + 1)
                let length = random.below(min(400, other.count - start) + 1)
                bytes.insert(contentsOf: other[start..<start + length], at: position)
            case 3:
                bytes.insert(contentsOf: tokens[random.below(tokens.count)], at: position)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, position + random.below(200))
                bytes.removeSubrange(min(position, end)..<end)
            default:
                bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: position)
            }
        }
        return bytes
    }

    private func jsonSeeds() -> [[UInt8]] {
        [
            #"{"signature":{"timestamp":"1","token":"t"},"event-data":{"id":"i","timestamp":1764071350.9,"event":"failed","severity":"permanent","recipient":"a@b.c","delivery-status":{"code":550,"message":"5.1.1 x"},"user-variables":{"tracking_id":"t"},"message":{"headers":{"message-id":"m@x"}}}}"#,
            #"{"items":[{"id":"i","timestamp":1,"event":"opened","recipient":"a@b.c","client-info":{"user-agent":"Mozilla/5.0"}}],"paging":{"next":"n"}}"#,
            #"[{"email":"a@b.c","timestamp":1764071411,"event":"bounce","type":"bounce","status":"5.1.1","reason":"550 x","sg_event_id":"e1"},{"email":"a@b.c","timestamp":1,"event":"open","sg_machine_open":true,"sg_event_id":"e2"}]"#,
            #"{"Type":"Notification","MessageId":"s1","Message":"{\"eventType\":\"Bounce\",\"bounce\":{\"bounceType\":\"Permanent\",\"bouncedRecipients\":[{\"emailAddress\":\"a@b.c\",\"status\":\"5.1.1\"}],\"feedbackId\":\"f\"},\"mail\":{\"messageId\":\"m\",\"timestamp\":\"2025-11-25T12:13:58.402Z\",\"destination\":[\"a@b.c\"]}}"}"#,
            #"{"RecordType":"Bounce","ID":1,"Type":"HardBounce","MessageID":"m","Email":"a@b.c","BouncedAt":"2025-11-25T12:14:09.5527801Z","Details":"smtp;550 5.1.1 x","Metadata":{"tracking_id":"t"}}"#,
            "{\"type\":\"hard_bounce\",\"timestamp\":\"2026-11-25T11:49:10Z\",\"tracking_id\":\"t\",\"status\":\"5.1.1\"}\n{\"type\":\"open\",\"timestamp\":1}\n",
        ].map { Array($0.utf8) }
    }

    func testMutatedInputsNeverCrash() throws {
        let mails = MimeMbox.split(try IngestFixtures.sample("bounces.mbox")).map(\.bytes)
        let json = jsonSeeds()
        let seeds = mails + json
        XCTAssertEqual(mails.count, 10)
        // 10k rounds keep the debug-build test near 4 s on an idle machine; raise MUTATION_ROUNDS for a longer soak.
        let rounds = ProcessInfo.processInfo.environment["MUTATION_ROUNDS"].flatMap(Int.init) ?? 10_000
        let seed = ProcessInfo.processInfo.environment["MUTATION_SEED"].flatMap { UInt64($0) } ?? 0x5EED_2026_1125
        var random = SeededGenerator(seed: seed)
        var parsed = 0
        var quarantined = 0
        let started = Date()
        for round in 0..<rounds {
            // Even rounds: mails for the mail parsers; odd rounds: JSON for the JSON parsers.
            // Splices still mix both kinds.
            let family = round % 2 == 0 ? mails : json
            let original = family[random.below(family.count)]
            let other = seeds[random.below(seeds.count)]
            let input = mutate(original, other: other, random: &random)
            _ = FormatDetect.detect(path: "/nonexistent/x", firstBytes: Array(input.prefix(FormatDetect.sniffLength)))
            if round % 2 == 0 {
                do {
                    let events = try DsnParser.parse(input, path: "fuzz", position: String(round))
                    parsed += events.count
                    _ = events.map(DryRunJSON.line(for:))
                } catch {
                    quarantined += 1
                    _ = DryRunJSON.line(for: error)
                }
                _ = MimeMbox.split(input)
            } else {
                for batch in [
                    MailgunEvents.parse(input, path: "fuzz"), SendGridEvents.parse(input, path: "fuzz"),
                    SesEvents.parse(input, path: "fuzz"), PostmarkEvents.parse(input, path: "fuzz"),
                    JsonLinesEvents.parse(input, path: "fuzz"),
                ] {
                    parsed += batch.events.count
                    quarantined += batch.quarantined.count
                    _ = batch.events.map(DryRunJSON.line(for:)) + batch.quarantined.map(DryRunJSON.line(for:))
                }
            }
        }
        XCTAssertGreaterThan(parsed, rounds / 10, "mutations keep most inputs parseable")
        XCTAssertGreaterThan(quarantined, rounds / 10, "and break some")
        XCTAssertLessThan(Date().timeIntervalSince(started), Double(rounds) / 100, "no hang")
    }
}
