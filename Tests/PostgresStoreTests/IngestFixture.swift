import Foundation
import GRDB
import MailFormat
import PostgresStore
import StoreCopy
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// What the ingest tests share: a seed store file with messages to tie signals back to,
/// inputs (Postfix logs, a Maildir of DSNs, JSON lines), copies of the seed on either
/// store, and a snapshot of everything ingestion writes, read the same way on both.
enum IngestFixture {
    /// A fresh temporary folder (removed by the caller).
    static func folder(_ prefix: String) throws -> String {
        let dir = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// The real Postfix capture and the DSNs it produced (`Tests/Fixtures/postfix/`).
    static var samples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postfix")
    }

    /// A new store file at `path` with the user `me@app.testhost.localdomain`; `post` adds messages.
    final class Seed {
        let store: TrackingStore
        let me: PartnerRef
        private var threads = 0

        init(path: String) throws {
            store = try TrackingStore(path: path)
            me = try store.user(email: "me@app.testhost.localdomain")
        }

        /// Posts a message with its Message-ID to `to` (one thread each).
        func post(messageId: String, to: [String]) throws {
            threads += 1
            _ = try store.post(
                PostRequest(
                    thread: ThreadRef(model: "test", key: String(threads)), authorId: me.id, to: to,
                    subject: "message \(messageId)", body: "body", messageId: messageId))
        }

        /// The capture's messages with their Message-IDs and recipients.
        func postCaptureMessages() throws {
            try post(messageId: "20241125.1@app.testhost.localdomain", to: ["root@testhost.localdomain"])
            try post(messageId: "20241125.2@app.testhost.localdomain", to: ["nosuchuser@testhost.localdomain"])
            try post(
                messageId: "A.20261125@app.testhost.localdomain",
                to: ["ok@remote.test, bad@remote.test, full@remote.test, grey@remote.test, spam@remote.test"])
            try post(messageId: "B.20261125@app.testhost.localdomain", to: ["ok2@remote.test, bad2@remote.test"])
            try post(messageId: "C.20261125@app.testhost.localdomain", to: ["someone@down.test"])
            try post(messageId: "E.20261125@app.testhost.localdomain", to: ["x@blocked.test"])
        }
    }

    /// A Maildir holding the capture's bounce mails under `root`; their count.
    static func maildir(at root: String) throws -> Int {
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: root + "/" + sub, withIntermediateDirectories: true)
        }
        let mails = MimeMbox.split(Array(try Data(contentsOf: samples.appendingPathComponent("bounces.mbox"))))
        for (index, entry) in mails.enumerated() {
            let name = "\(1_795_600_000 + index).M\(index)P1.host"
            try Data(entry.bytes).write(to: URL(fileURLWithPath: "\(root)/new/\(name)"))
        }
        return mails.count
    }

    /// A Postfix log of `host` delivering (or bouncing) one mail per entry, four lines each,
    /// the way Postfix writes them; queue ids are unique per host.
    static func postfixLog(host: String, mails: [(messageId: String, recipient: String, bounce: Bool)]) -> String {
        var text = ""
        let prefix = String(host.uppercased().unicodeScalars.first { ("A"..."F").contains($0) } ?? "A")
        for (index, mail) in mails.enumerated() {
            let qid = prefix + String(format: "%09X", index + 1)
            let second = index % 60
            let minute = (index / 60) % 60
            let stamp = String(format: "Dec  1 10:%02d:%02d", minute, second)
            text += "\(stamp) \(host) postfix/cleanup[100]: \(qid): message-id=<\(mail.messageId)>\n"
            text += "\(stamp) \(host) postfix/qmgr[101]: \(qid): from=<me@app.testhost.localdomain>, size=500, nrcpt=1 (queue active)\n"
            if mail.bounce {
                text += "\(stamp) \(host) postfix/smtp[102]: \(qid): to=<\(mail.recipient)>, relay=mx.remote.test[192.0.2.1]:25, "
                    + "delay=0.1, delays=0/0/0/0.1, dsn=5.1.1, status=bounced (host mx.remote.test[192.0.2.1] said: "
                    + "550 5.1.1 <\(mail.recipient)>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n"
            } else {
                text += "\(stamp) \(host) postfix/smtp[102]: \(qid): to=<\(mail.recipient)>, relay=mx.remote.test[192.0.2.1]:25, "
                    + "delay=0.1, delays=0/0/0/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X\(qid))\n"
            }
            text += "\(stamp) \(host) postfix/qmgr[101]: \(qid): removed\n"
        }
        return text
    }

    /// Settings of a fresh database on the test cluster.
    static func database() throws -> (PostgresTestCluster, String, PostgresSettings) {
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase(prefix: "ingest")
        let settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        return (cluster, db, settings)
    }

    /// A PostgreSQL store holding a copy of the store file at `seedPath` (ids kept).
    static func postgresCopy(of seedPath: String) throws -> (store: PostgresStore, query: (String) throws -> [String]) {
        let (cluster, db, settings) = try database()
        let seed = try TrackingStore(path: seedPath)
        let store = try BlockingCall.run {
            let pg = try await PostgresStore.open(settings)
            _ = try await StoreCopier.copy(from: seed, to: pg, options: StoreCopyOptions()) { _ in }
            return pg
        }
        return (store, { sql in try lines(cluster.psql(sql, database: db)) })
    }

    /// A copy of the store file at `seedPath` beside it, opened.
    static func fileCopy(of seedPath: String) throws -> (store: TrackingStore, query: (String) throws -> [String]) {
        let path = (seedPath as NSString).deletingLastPathComponent + "/copy-\(UUID().uuidString).sqlite"
        try FileManager.default.copyItem(atPath: seedPath, toPath: path)
        let store = try TrackingStore(path: path)
        return (store, { sql in try fileLines(path, sql) })
    }

    /// The first column of `sql`'s rows on a store file, as text.
    static func fileLines(_ path: String, _ sql: String) throws -> [String] {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: path, configuration: config).read { try String.fetchAll($0, sql: sql) }
    }

    static func lines(_ text: String) -> [String] {
        text.isEmpty ? [] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// Everything ingestion writes, one sorted list of lines per table; the same SQL on both
    /// stores (no floating-point column, whose text differs between them).
    static let snapshotQueries: [(String, String)] = [
        (
            "trackings",
            "SELECT id || ' ' || coalesce(state, '-') || ' ' || coalesce(cause, '-') || ' ' || coalesce(last_tiebreak, '-') || ' ' || coalesce(error_type, '-') || ' ' || coalesce(bounce_type, '-') FROM trackings"
        ),
        (
            "events",
            "SELECT tracking_id || ' ' || type || ' ' || source || ' ' || key || ' ' || machine || ' ' || coalesce(error_type, '-') || ' ' || coalesce(bounce_type, '-') || ' ' || coalesce(cause, '-') FROM events"
        ),
        ("unmatched", "SELECT source || ' ' || key || ' ' || type || ' ' || path || ' ' || reason || ' ' || coalesce(recipient, '-') FROM unmatched"),
        ("quarantine", "SELECT source || ' ' || path || ' ' || position || ' ' || reason || ' ' || count FROM quarantine"),
        ("source_cursors", "SELECT source || ' ' || cursor FROM source_cursors"),
        ("ingested_items", "SELECT source || ' ' || item FROM ingested_items"),
        ("queue_links", "SELECT host || ' ' || queue_id || ' ' || coalesce(message_id, '-') || ' ' || system || ' ' || link FROM queue_links"),
        ("messages", "SELECT id || ' ' || failed_trackings || ' ' || needs_action FROM messages"),
        ("threads", "SELECT id || ' ' || failed_count || ' ' || message_count FROM threads"),
        ("failed_counts", "SELECT partner_id || ' ' || count FROM failed_counts WHERE count <> 0"),
        ("partners", "SELECT id || ' ' || email_bounced FROM partners"),
    ]

    /// The snapshot of a store through its query function.
    static func snapshot(_ query: (String) throws -> [String]) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for (table, sql) in snapshotQueries { out[table] = try query(sql).map(canonicalJSON).sorted() }
        return out
    }

    /// A line whose tail is a JSON object (a cursor, a queue link) with the object's keys
    /// sorted: the encoder's key order is not stable, the content is what counts.
    static func canonicalJSON(_ line: String) -> String {
        guard let brace = line.firstIndex(of: "{"),
            let object = try? JSONSerialization.jsonObject(with: Data(line[brace...].utf8)),
            let sorted = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        else { return line }
        return String(line[..<brace]) + String(decoding: sorted, as: UTF8.self)
    }

    /// Asserts two snapshots are equal table by table, naming the first lines that differ.
    static func assertSame(
        _ a: [String: [String]], _ b: [String: [String]], _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        for (table, _) in snapshotQueries {
            let x = a[table] ?? []
            let y = b[table] ?? []
            if x != y {
                let onlyX = Set(x).subtracting(y).sorted().prefix(3)
                let onlyY = Set(y).subtracting(x).sorted().prefix(3)
                XCTFail(
                    "\(what): \(table) differs (\(x.count) vs \(y.count) rows; only first: \(Array(onlyX)); only second: \(Array(onlyY)))",
                    file: file, line: line)
            }
        }
    }
}
