import Foundation
import GRDB
import TrackingModel

/// How big and which demo store to build.
public struct DemoOptions: Sendable {
    /// Number of messages.
    public var size: Int = 300
    /// Seed of the generator: the same seed gives the same store (relative to `now`).
    public var seed: UInt64 = 42
    /// The moment the history ends at (UTC epoch seconds).
    public var now: Double = Date().timeIntervalSince1970
    /// How many days of history.
    public var days: Double = 90
    /// Share (0...1) of tracked recipients that fail, spread over the failure
    /// kinds; nil keeps the demo's own mix. Builds a large Failed backlog for
    /// tests and benchmarks without a store many times its size.
    public var failureShare: Double?

    public init() {}
}

/// What the demo builder wrote.
public struct DemoReport: Sendable, Hashable {
    public var partners = 0
    public var threads = 0
    public var messages = 0
    public var trackings = 0
    public var events = 0
}

/// A small, fast, seedable generator (SplitMix64), so the demo is repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// What happens to one demo recipient: the story its events tell.
enum DemoOutcome: CaseIterable {
    case waiting, sent, deferred, delivered, opened, clicked, badMailbox, mailboxFull, policy, spam, smtpError, unsubscribed

    /// Weights for an older message (recent ones are more often waiting / sent).
    static let weights: [(DemoOutcome, Double)] = [
        (.sent, 8), (.deferred, 2), (.delivered, 30), (.opened, 30), (.clicked, 10), (.badMailbox, 1.2),
        (.mailboxFull, 0.6), (.policy, 0.4), (.spam, 0.3), (.smtpError, 0.4), (.unsubscribed, 0.8),
    ]

    /// The outcomes that leave a recipient failed.
    static let failures: [DemoOutcome] = [.badMailbox, .mailboxFull, .policy, .spam, .smtpError]

    static func random(using rng: inout SeededGenerator, recent: Bool) -> DemoOutcome {
        if recent && rng.chance(0.6) { return rng.chance(0.5) ? .waiting : .sent }
        let total = weights.reduce(0) { $0 + $1.1 }
        var x = Double.random(in: 0..<total, using: &rng)
        for (o, w) in weights {
            if x < w { return o }
            x -= w
        }
        return .delivered
    }
}

extension TrackingStore {
    /// Builds the demo store in a new file at `path`: partners in several
    /// scripts, threads of several models, `options.size` messages with To, Cc
    /// and raw recipients, and histories covering every state, marker and
    /// failure kind; some failures reviewed, some needing action; one user "me".
    ///
    /// Bulk path: the file is loaded without a journal, with the secondary
    /// indexes built after the rows, then switched to WAL and moved into place,
    /// so a crash never leaves a half-built store at `path`. The final states
    /// are folded in memory with the same `TrackingStatus` rule the event
    /// applier uses.
    public static func buildDemo(
        at path: String, _ data: DemoDataset, options: DemoOptions, progress: (@Sendable (Int) -> Void)? = nil
    ) throws(StoreError) -> DemoReport {
        guard options.size >= 0 else { throw .invalidInput("--size must be positive") }
        let fm = FileManager.default
        guard !fm.fileExists(atPath: path) else {
            throw .invalidInput("\(path) already exists; remove it or choose another --db for the demo")
        }
        let me = try checkAddress(data.me.email ?? "me@localhost")
        var people: [(name: String, checked: CheckedAddress?)] = []
        for p in data.partners {
            people.append((p.name, try p.email.map { (e: String) throws(StoreError) in try checkAddress(e) }))
        }
        var aliases: [String] = []
        for a in data.aliases { aliases.append(try checkAddress(a).normalized) }
        var raw: [Mailbox] = []
        for r in data.rawAddresses { raw += try parseLists([r]) }
        let building = path + ".building"
        try? fm.removeItem(atPath: building)
        // The owner's alone, like every store chatter creates (folder 0700, file 0600).
        try StoreFiles.createPrivate(building)
        do {
            var config = Configuration()
            config.foreignKeysEnabled = false  // every reference is made by the builder itself
            let queue = try DatabaseQueue(path: building, configuration: config)
            try queue.writeWithoutTransaction { db in
                try TrackingStore.giveFreedPagesBack(db)
                try db.execute(sql: "PRAGMA journal_mode = OFF")
                try db.execute(sql: "PRAGMA locking_mode = EXCLUSIVE")
            }
            try Schema.migrator.migrate(queue)
            let report = try queue.writeWithoutTransaction { db in
                for a in Set(aliases) { try db.execute(sql: "INSERT INTO aliases (address) VALUES (?)", arguments: [a]) }
                var builder = DemoWriter(
                    db: db, data: data, options: options, raw: raw)
                try builder.run(me: me, people: people, progress: progress)
                try db.execute(sql: "PRAGMA locking_mode = NORMAL")
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                return builder.report
            }
            try queue.close()
            // A -wal / -shm left by a deleted store of the same name would be
            // replayed onto this new file by the next open, corrupting it: the
            // file did not exist, so they are orphans.
            for suffix in ["-wal", "-shm"] { try? fm.removeItem(atPath: path + suffix) }
            try fm.moveItem(atPath: building, toPath: path)
            return report
        } catch {
            try? fm.removeItem(atPath: building)
            throw StoreError.wrap(error)
        }
    }
}

/// The demo's database side: the partners and threads, then the generated rows.
struct DemoWriter {
    let db: Database
    let data: DemoDataset
    let options: DemoOptions
    let raw: [Mailbox]
    var report = DemoReport()

    init(db: Database, data: DemoDataset, options: DemoOptions, raw: [Mailbox]) {
        self.db = db
        self.data = data
        self.options = options
        self.raw = raw
    }

    mutating func run(
        me: CheckedAddress, people: [(name: String, checked: CheckedAddress?)], progress: (@Sendable (Int) -> Void)?
    ) throws {
        let now = options.now
        // A bulk load: no fsync, a big page cache, sorts in memory with helper
        // threads when the indexes are built.
        try db.execute(sql: "PRAGMA synchronous = OFF")
        try db.execute(sql: "PRAGMA cache_size = -262144")
        try db.execute(sql: "PRAGMA temp_store = MEMORY")
        try db.execute(sql: "PRAGMA threads = 2")
        let generator = DemoGenerator(data: data, options: options, rng: SeededGenerator(seed: options.seed), raw: raw)
        try db.inTransaction {
            try db.execute(
                sql: """
                    INSERT INTO partners (name, email, email_normalized, is_user, notify_email, created_at)
                    VALUES (?, ?, ?, 1, 1, ?)
                    """, arguments: [data.me.name, me.address, me.normalized, now])
            generator.meId = db.lastInsertedRowID
            try db.execute(
                sql: "INSERT INTO settings (key, value) VALUES ('default_user', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [me.address])
            for (i, p) in people.enumerated() {
                // Two partners with an address get no email notifications: "unknown" markers.
                let notify = !(p.checked != nil && (i == 7 || i == 19))
                try db.execute(
                    sql: """
                        INSERT INTO partners (name, email, email_normalized, notify_email, created_at)
                        VALUES (?, ?, ?, ?, ?)
                        """, arguments: [p.name, p.checked?.address, p.checked?.normalized, notify, now])
                generator.addPartner(
                    DemoGenerator.Partner(
                        id: db.lastInsertedRowID, name: p.name, email: p.checked?.address,
                        normalized: p.checked?.normalized, notify: notify))
            }
            for t in data.threads {
                try db.execute(
                    sql: "INSERT INTO threads (model, key, name, last_activity) VALUES (?, ?, ?, ?)",
                    arguments: [t.model, t.key, t.name, now - options.days * 86400])
                generator.addThread(id: db.lastInsertedRowID, seed: t)
            }
            return .commit
        }
        report.partners = generator.partners.count + 1
        report.threads = generator.threads.count

        let indexes = try Row.fetchAll(
            db,
            sql: """
                SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                  AND tbl_name IN ('messages', 'message_recipients', 'trackings', 'events')
                """)
        for ix in indexes { try db.execute(sql: "DROP INDEX \(ix["name"] as String)") }

        // Two cores: one thread makes the rows while this one writes them.
        let pipe = DemoPipe()
        let size = options.size
        let producer = Thread {
            let chunk = 5_000
            var start = 0
            while start < size {
                let end = min(size, start + chunk)
                guard pipe.put((start..<end).map { generator.makeRows(index: $0) }) else { return }
                start = end
            }
            pipe.finish()
        }
        producer.start()
        var written = 0
        do {
            while let chunk = pipe.take() {
                try db.inTransaction {
                    for rows in chunk { try write(rows) }
                    return .commit
                }
                written += chunk.count
                if written % 20_000 < chunk.count || written == size { progress?(written) }
            }
        } catch {
            pipe.cancel()
            throw error
        }

        try db.inTransaction {
            for t in generator.threads {
                try db.execute(
                    sql: "UPDATE threads SET message_count = ?, failed_count = ?, last_activity = MAX(last_activity, ?) WHERE id = ?",
                    arguments: [t.messages, t.failed, t.last, t.id])
            }
            for (partner, count) in generator.failedCounts {
                try db.execute(
                    sql: "INSERT INTO failed_counts (partner_id, count) VALUES (?, ?)", arguments: [partner, count])
            }
            for address in generator.flagged {
                try db.execute(sql: "UPDATE partners SET email_bounced = 1 WHERE email_normalized = ?", arguments: [address])
            }
            return .commit
        }
        for ix in indexes { try db.execute(sql: ix["sql"] as String) }
        try db.execute(sql: "PRAGMA analysis_limit = 1000")
        try db.execute(sql: "ANALYZE")
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
    }

    /// Writes one message with its recipients, trackings and events.
    mutating func write(_ m: DemoRows) throws {
        let insertMessage = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO messages (id, thread_id, author_id, date, subject, body, message_id, email_to, email_cc,
                      tracked, needs_action, failed_trackings)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """))
        insertMessage.bind(1, m.id)
        insertMessage.bind(2, m.threadId)
        insertMessage.bind(3, m.authorId)
        insertMessage.bind(4, m.date)
        insertMessage.bind(5, m.subject)
        insertMessage.bind(6, m.body)
        insertMessage.bind(7, m.messageId)
        insertMessage.bind(8, m.emailTo)
        insertMessage.bind(9, m.emailCc)
        insertMessage.bind(10, m.tracked)
        insertMessage.bind(11, m.needsAction)
        insertMessage.bind(12, m.failedCount)
        try insertMessage.run(db)

        let insertRecipient = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO message_recipients (message_id, position, kind, partner_id, address, display)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """))
        for (position, r) in m.recipients.enumerated() {
            insertRecipient.bind(1, m.id)
            insertRecipient.bind(2, position)
            insertRecipient.bind(3, r.kind)
            insertRecipient.bind(4, r.partnerId)
            insertRecipient.bind(5, r.address)
            insertRecipient.bind(6, r.display)
            try insertRecipient.run(db)
        }
        let insertTracking = RawStatement(
            try db.cachedStatement(
                sql: """
                    INSERT INTO trackings (message_id, partner_id, recipient, address, is_cc, sender, subject, created_at,
                      token, state, error_smtp_server, error_type, error_description, bounce_type, bounce_description,
                      last_ts, last_rank, last_tiebreak, cause)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """))
        let insertEvent = RawStatement(try db.cachedStatement(sql: EventInsert.sql))
        let sender = "\(data.me.name) <\(data.me.email ?? "me@localhost")>"
        for t in m.trackings {
            let s = t.status
            insertTracking.bind(1, m.id)
            insertTracking.bind(2, t.partnerId)
            insertTracking.bind(3, t.recipient)
            insertTracking.bind(4, t.address)
            insertTracking.bind(5, t.cc)
            insertTracking.bind(6, sender)
            insertTracking.bind(7, m.subject)
            insertTracking.bind(8, m.date)
            insertTracking.bind(9, t.token)
            insertTracking.bind(status: s, from: 10)
            try insertTracking.run(db)
            let trackingId = db.lastInsertedRowID
            report.trackings += 1
            for e in t.events {
                var row = e
                row.trackingId = trackingId
                EventInsert.bind(row, to: insertEvent, recordedAt: e.timestamp)
                try insertEvent.run(db)
                report.events += 1
            }
        }
        report.messages += 1
    }
}
