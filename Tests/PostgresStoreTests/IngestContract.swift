import EventIngest
import Foundation
import PostgresStore
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// The ingest role's contract, from one source for both stores: the same Postfix log,
/// DSN mails and JSON lines read by the poller and by `chatter ingest` give the same
/// tracking states, events, unmatched and quarantined items, queue links, processed
/// items, cursors and counters as on the SQLite store (the reference, run alongside);
/// a batch that throws keeps nothing; re-reading finds only duplicates. A subclass says
/// how to hold a copy of the seed store (the base class has no `test` methods of its
/// own, so it runs nothing by itself).
class IngestContract: XCTestCase {
    /// The store under test holding a copy of the seed file at `seedPath`, and how to read
    /// it (SQL to the first column of every row, as text).
    func makeStore(seedPath: String) throws -> (store: any IngestRole, query: (String) throws -> [String]) {
        fatalError("a subclass says how to hold its store")
    }

    /// The seed store and the inputs, made once per process.
    struct Inputs {
        var seed: String
        var postfixLog: String
        var maildir: String
        var mails: Int
        var events: String
    }

    static let inputs = Result { () throws -> Inputs in
        let dir = try IngestFixture.folder("ingest-contract")
        let seed = dir + "/seed.sqlite"
        try IngestFixture.Seed(path: seed).postCaptureMessages()
        let maildir = dir + "/Maildir"
        let mails = try IngestFixture.maildir(at: maildir)
        let events = dir + "/events.jsonl"
        try Data(
            """
            {"type":"open","timestamp":"2026-11-25T12:00:00Z","message_id":"A.20261125@app.testhost.localdomain","recipient":"ok@remote.test","key":"o1"}
            not json
            {"type":"click","timestamp":1795608100,"tracking_id":"999999","url":"https://x.test/"}
            {"type":"unsub","timestamp":1795608200,"message_id":"B.20261125@app.testhost.localdomain","recipient":"ok2@remote.test"}

            """.utf8
        ).write(to: URL(fileURLWithPath: events))
        return Inputs(
            seed: seed, postfixLog: IngestFixture.samples.appendingPathComponent("postfix.log").path, maildir: maildir,
            mails: mails, events: events)
    }

    /// The capture's reference time (syslog lines carry no year).
    static let clock: @Sendable () -> Double = { 1_795_608_000 }

    private var inputs: Inputs { get throws { try Self.inputs.get() } }

    // MARK: The poller

    /// What the poller's rounds came to on one store: the first round's counts, the second's, and the snapshot.
    private static func pollTwice(_ store: any IngestRole, _ query: (String) throws -> [String], _ inputs: Inputs) throws
        -> (first: PollReport, second: PollReport, snapshot: [String: [String]])
    {
        let sources = [
            PollerSource(kind: .postfixLog, path: inputs.postfixLog, batchSize: 5),
            PollerSource(kind: .maildir, path: inputs.maildir, batchSize: 2),
            PollerSource(kind: .events, path: inputs.events),
        ]
        var options = Poller.Options()
        options.clock = clock
        options.initialBackoff = 0
        let first = Poller(store: store, sources: sources, options: options)
        let report = first.runOnce()
        XCTAssertNil(first.status.error)
        // A new poller (a restart) starts from the committed cursors and items.
        let second = Poller(store: store, sources: sources, options: options).runOnce()
        return (report, second, try IngestFixture.snapshot(query))
    }

    func checkPollerReadsEverySourceAsTheFileStoreDoes() throws {
        let inputs = try self.inputs
        let reference = try IngestFixture.fileCopy(of: inputs.seed)
        let expected = try Self.pollTwice(reference.store, reference.query, inputs)
        let tested = try makeStore(seedPath: inputs.seed)
        let got = try Self.pollTwice(tested.store, tested.query, inputs)

        XCTAssertGreaterThan(got.first.applied, 40)
        XCTAssertEqual(got.first.quarantined, 1, "the broken JSON line")
        XCTAssertEqual(got.first.unmatched, 1, "the click on an unknown tracking id")
        XCTAssertGreaterThan(got.first.batches, 10, "small batches: many commits")
        XCTAssertEqual(got.first, expected.first, "the same counts as the file store")
        XCTAssertEqual(got.second.total, 0, "a restart reads nothing twice")
        XCTAssertEqual(got.snapshot["source_cursors"]?.count, 2, "the two tailed files")
        XCTAssertEqual(got.snapshot["ingested_items"]?.count, inputs.mails, "every DSN mail recorded")
        XCTAssertGreaterThan(got.snapshot["queue_links"]?.count ?? 0, 5)
        XCTAssertTrue(
            got.snapshot["trackings"]?.contains { $0.contains(" bounced ") } ?? false, "a bounce folded into a state")
        IngestFixture.assertSame(got.snapshot, expected.snapshot, "poller")
    }

    // MARK: chatter ingest

    /// One-shot ingests of the JSON lines and the Maildir: once, again (nothing), and from the start.
    private static func ingestThrice(_ store: any IngestRole, _ query: (String) throws -> [String], _ inputs: Inputs) throws
        -> (reports: [PollReport], items: [Int], snapshot: [String: [String]])
    {
        var reports: [PollReport] = []
        var items: [Int] = []
        for fromStart in [false, false, true] {
            var round = PollReport()
            for path in [inputs.events, inputs.maildir] {
                let ingest = try OneShotIngest(
                    store: store, path: path, format: nil, batchSize: 1, fromStart: fromStart, clock: clock)
                round.add(try ingest.run())
                if path == inputs.maildir { items.append(try store.processedItems(source: ingest.source.name).count) }
            }
            reports.append(round)
        }
        return (reports, items, try IngestFixture.snapshot(query))
    }

    func checkOneShotIngestResumesAndFromStartFindsDuplicates() throws {
        let inputs = try self.inputs
        let reference = try IngestFixture.fileCopy(of: inputs.seed)
        let expected = try Self.ingestThrice(reference.store, reference.query, inputs)
        let tested = try makeStore(seedPath: inputs.seed)
        let got = try Self.ingestThrice(tested.store, tested.query, inputs)

        let first = got.reports[0]
        XCTAssertGreaterThan(first.applied, 5)
        XCTAssertEqual(first.unmatched, 1)
        XCTAssertEqual(got.reports[1].total, 0, "a second ingest resumes at the end")
        XCTAssertEqual(got.reports[2].applied, 0, "from the start: nothing new")
        // Every event again: a duplicate, or an open suppressed by its own earlier copy.
        let again = got.reports[2]
        XCTAssertEqual(
            again.duplicate + again.suppressed, first.applied + first.unmatched + first.duplicate + first.suppressed,
            "\(again)")
        XCTAssertEqual(got.items, [inputs.mails, inputs.mails, inputs.mails])
        XCTAssertEqual(got.reports, expected.reports)
        XCTAssertTrue(got.snapshot["quarantine"]?.contains { $0.hasSuffix(" 2") } ?? false, "the bad line met twice")
        IngestFixture.assertSame(got.snapshot, expected.snapshot, "chatter ingest")

        let mails = PollerSource(kind: .events, path: inputs.maildir).name
        try tested.store.resetSource(mails)
        XCTAssertEqual(try tested.store.processedItems(source: mails), [])
        let lines = PollerSource(kind: .events, path: inputs.events).name
        XCTAssertNotNil(try tested.store.cursor(source: lines))
        try tested.store.resetSource(lines)
        XCTAssertNil(try tested.store.cursor(source: lines))
    }

    // MARK: One batch

    struct Boom: Error, Equatable {}

    /// What a batch of every session operation came to.
    struct Outcomes: Equatable {
        var resolved: TieBackResolution
        var unresolved: TieBackResolution
        var applied: ApplyOutcome
        var kept: Bool
        var link: String?
        var processedBefore: Bool
        var processedAfter: Bool
    }

    /// Every operation of a session, in one batch.
    private static func fullBatch(_ tx: any IngestSession, trackingId: Int64) throws -> Outcomes {
        let resolved = try tx.resolve(TieBackKeys(trackingId: String(trackingId)))
        let unresolved = try tx.resolve(TieBackKeys(messageId: "nobody@x.test", recipient: "a@x.test"))
        let applied = try tx.apply(NewEvent(trackingId: trackingId, type: .delivered, timestamp: 1_795_608_000, source: "t", key: "k1"))
        let kept = try tx.recordUnmatched(
            UnmatchedEvent(source: "t", key: "u1", path: "p", type: "open", timestamp: 1_795_608_000, reason: "r"))
        try tx.quarantine(QuarantineItem(source: "t", path: "p", position: "1", reason: "bad", excerpt: "x"))
        let link = StoredQueueLink(
            host: "h", queueId: "Q1", firstSeen: 10, messageId: "m@x", trackingId: nil, system: false, encoded: "{}")
        try tx.saveQueueLink(link)
        var older = link
        older.firstSeen = 5
        older.encoded = "older"
        try tx.saveQueueLink(older)
        let stored = try tx.queueLink(host: "h", queueId: "Q1")
        let before = try tx.isProcessed(source: "t", item: "i1")
        try tx.markProcessed(source: "t", item: "i1")
        let after = try tx.isProcessed(source: "t", item: "i1")
        try tx.saveCursor(SourceCursor(source: "t", value: "c1"))
        return Outcomes(
            resolved: resolved, unresolved: unresolved, applied: applied, kept: kept, link: stored?.encoded,
            processedBefore: before, processedAfter: after)
    }

    func checkAFailedBatchKeepsNothingAndARepeatedOneOnlyDuplicates() throws {
        let inputs = try self.inputs
        let tested = try makeStore(seedPath: inputs.seed)
        let store = tested.store
        let trackingId = try XCTUnwrap(Int64(try XCTUnwrap(tested.query("SELECT min(id) FROM trackings").first)))
        let before = try IngestFixture.snapshot(tested.query)

        XCTAssertThrowsError(
            try store.ingest { tx -> Void in
                _ = try Self.fullBatch(tx, trackingId: trackingId)
                throw Boom()
            }
        ) { XCTAssertEqual($0 as? Boom, Boom(), "the body's own error, as it is") }
        IngestFixture.assertSame(try IngestFixture.snapshot(tested.query), before, "after a failed batch")
        XCTAssertNil(try store.cursor(source: "t"))

        let first = try store.ingest { tx in try Self.fullBatch(tx, trackingId: trackingId) }
        XCTAssertEqual(
            first,
            Outcomes(
                resolved: .tracking(trackingId, via: .trackingId),
                unresolved: .unresolved(reason: "no tracking matches Message-ID <nobody@x.test> for recipient a@x.test"),
                applied: .applied(stateChanged: true), kept: true, link: "{}", processedBefore: false, processedAfter: true))
        let again = try store.ingest { tx in try Self.fullBatch(tx, trackingId: trackingId) }
        XCTAssertEqual(again.applied, .duplicate)
        XCTAssertFalse(again.kept, "the unmatched event is kept once")
        XCTAssertTrue(again.processedBefore, "the item is processed")
        XCTAssertEqual(try store.cursor(source: "t"), "c1")
        XCTAssertEqual(try store.processedItems(source: "t"), ["i1"])
        XCTAssertEqual(try tested.query("SELECT count FROM quarantine WHERE source = 't'"), ["2"])
        XCTAssertEqual(try tested.query("SELECT count(*) FROM events WHERE source = 't'"), ["1"])
    }
}
