import Foundation
import GRDB
import TrackingModel

/// The demo's generator: which messages, recipients and stories, from the
/// seed. Runs on its own thread; the writer reads its totals after `finish`.
final class DemoGenerator: @unchecked Sendable {
    struct Partner {
        var id: Int64
        var name: String
        var email: String?
        var normalized: String?
        var notify: Bool
    }

    struct ThreadAcc {
        var id: Int64
        var ref: ThreadRef
        var main: Int?
        var messages = 0
        var failed = 0
        var last: Double = 0
    }

    let data: DemoDataset
    let options: DemoOptions
    var rng: SeededGenerator
    let raw: [Mailbox]
    var partners: [Partner] = []
    var withEmail: [Int] = []
    var withoutEmail: [Int] = []
    var threads: [ThreadAcc] = []
    /// Each thread's subjects with its name filled in, computed once.
    var subjectsByThread: [[String]] = []
    var flagged = Set<String>()
    /// Failed mailbox counters: author and partner recipients of each failed message.
    var failedCounts: [Int64: Int] = [:]
    var meId: Int64 = 0
    var eventSeq = 0

    init(data: DemoDataset, options: DemoOptions, rng: SeededGenerator, raw: [Mailbox]) {
        self.data = data
        self.options = options
        self.rng = rng
        self.raw = raw
    }

    func addPartner(_ p: Partner) {
        if p.email == nil { withoutEmail.append(partners.count) } else { withEmail.append(partners.count) }
        partners.append(p)
    }

    func addThread(id: Int64, seed t: DemoDataset.ThreadSeed) {
        let main = t.partner.flatMap { name in partners.firstIndex { $0.name == name } }
        threads.append(ThreadAcc(id: id, ref: ThreadRef(model: t.model, key: t.key), main: main))
        subjectsByThread.append((data.subjects[t.model] ?? []).map { $0.replacingOccurrences(of: "{name}", with: t.name) })
    }

    /// Message `index` (0 = oldest) with its recipients, trackings and events.
    func makeRows(index: Int) -> DemoRows {
        let size = options.size
        let now = options.now
        let span = options.days * 86400
        let date = now - span * Double(size - index) / Double(max(size, 1)) + Double.random(in: 0..<30, using: &rng)
        // Skewed thread choice: a few busy threads.
        let tIndex = min(threads.count - 1, Int(Double(threads.count) * pow(Double.random(in: 0..<1, using: &rng), 1.6)))
        let thread = threads[tIndex]
        let newest = size - 1 - index  // 0 for the newest message
        let forced: DemoOutcome? = newest < 40 && newest % 3 == 0 ? DemoOutcome.allCases[(newest / 3) % DemoOutcome.allCases.count] : nil

        let incoming = forced == nil && rng.chance(0.08)
        let untracked = !incoming && forced == nil && rng.chance(0.04)
        var recipients: [(kind: String, partner: Int?, mailbox: Mailbox?)] = []
        var used = Set<Int>()
        var authorId = meId
        if incoming, let main = thread.main {
            authorId = partners[main].id
        } else {
            // A main partner without address is still written to now and then (a no-email error).
            if let main = thread.main, partners[main].email != nil || rng.chance(0.15) {
                recipients.append(("to", main, nil))
                used.insert(main)
            }
            let extra = Int.random(in: 1...3, using: &rng)
            for _ in 0..<extra {
                let p = rng.pick(withEmail)
                guard used.insert(p).inserted else { continue }
                recipients.append((rng.chance(0.3) ? "cc" : "to", p, nil))
            }
            if (forced != nil && newest % 6 == 0) || rng.chance(0.015), let p = withoutEmail.randomElement(using: &rng) {
                if used.insert(p).inserted { recipients.append(("to", p, nil)) }
            }
            if rng.chance(untracked ? 0.8 : 0.1), !raw.isEmpty {
                recipients.append((rng.chance(0.5) ? "cc" : "to", nil, rng.pick(raw)))
            }
        }

        let subjects = subjectsByThread[tIndex]
        let subject = subjects.isEmpty ? "Message" : rng.pick(subjects)
        let body = data.bodies.isEmpty ? "" : rng.pick(data.bodies)
        let authorEmail = authorId == meId ? (data.me.email ?? "me@localhost") : (partners.first { $0.id == authorId }?.email ?? "partner.example")
        let domain = authorEmail.split(separator: "@").last.map(String.init) ?? "localhost"

        var failedCount = 0
        var trackings: [DemoRows.Tracking] = []
        let tracked = !incoming && !untracked
        for r in recipients where tracked {
            if let p = r.partner, !partners[p].notify { continue }
            let address = r.partner.map { partners[$0].normalized } ?? r.mailbox?.normalized
            let outcome: DemoOutcome
            if address == nil {
                outcome = .smtpError  // replaced by no_recipient below
            } else if let forced, trackings.isEmpty {
                outcome = forced
            } else if let share = options.failureShare, rng.chance(share) {
                outcome = rng.pick(DemoOutcome.failures)
            } else {
                outcome = DemoOutcome.random(using: &rng, recent: now - date < 3600)
            }
            let events = makeEvents(outcome: outcome, noAddress: address == nil, date: date, recipient: address)
            let status = TrackingStatus.derive(from: events.map(\.facts))
            if status.state?.isFailed ?? false { failedCount += 1 }
            for e in events where e.type.flagsPartner(errorType: e.details.errorType, cause: e.details.cause) {
                if let address { flagged.insert(address) }
            }
            trackings.append(
                DemoRows.Tracking(
                    partnerId: r.partner.map { partners[$0].id }, recipient: display(r), address: address,
                    cc: r.kind == "cc", token: TrackingStore.hex64(rng.next()) + TrackingStore.hex64(rng.next()),
                    status: status, events: events))
        }
        // Some failures were reviewed already; the newest ones always need action.
        let reviewed = failedCount > 0 && newest >= 40 && rng.chance(0.15)
        let needsAction = failedCount > 0 && !reviewed

        var rows: [DemoRows.Recipient] = []
        if incoming { rows.append(DemoRows.Recipient(kind: "to", partnerId: meId, address: nil, display: data.me.name)) }
        for r in recipients {
            rows.append(
                DemoRows.Recipient(
                    kind: r.kind, partnerId: r.partner.map { partners[$0].id },
                    address: r.partner.map { partners[$0].normalized } ?? r.mailbox?.normalized, display: display(r)))
        }
        threads[tIndex].messages += 1
        threads[tIndex].last = max(threads[tIndex].last, date)
        if needsAction {
            threads[tIndex].failed += 1
            var mine: Set<Int64> = [authorId]
            for r in recipients { if let p = r.partner { mine.insert(partners[p].id) } }
            for id in mine { failedCounts[id, default: 0] += 1 }
        }
        return DemoRows(
            id: Int64(index + 1), threadId: thread.id, authorId: authorId, date: date, subject: subject, body: body,
            messageId: "demo.\(options.seed).\(Self.paddedKey(index))@\(domain)",
            emailTo: recipients.filter { $0.kind == "to" }.map(display).joined(separator: ", "),
            emailCc: recipients.filter { $0.kind == "cc" }.map(display).joined(separator: ", "), tracked: tracked,
            needsAction: needsAction, failedCount: failedCount, recipients: rows, trackings: trackings)
    }

    /// Zero-padded so that keys grow monotonically: unique-index inserts stay
    /// appends (random keys cost about 8x on insert).
    static func paddedKey(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 12 - s.count)) + s
    }

    func display(_ r: (kind: String, partner: Int?, mailbox: Mailbox?)) -> String {
        if let p = r.partner { return partners[p].email.map { "\(partners[p].name) <\($0)>" } ?? partners[p].name }
        return r.mailbox?.formatted ?? ""
    }
}
