import DeliverySignals
import Foundation
import TrackingModel
import XCTest

/// The differential test of chatter's bounce reading against Sisimai (the established
/// classifier, Debian `libsisimai-perl`): every mail of `Tests/Fixtures/bounces` is read
/// by `scripts/sisimai-oracle.pl` and by chatter's DSN reader, recipient by recipient:
/// the failure found (recall), hard / soft, and the cause mapped to Sisimai's reason.
///
/// Fails below 98 % recall or 95 % hard / soft agreement. Differences judged Sisimai's
/// mistake are listed with a reason in `sisimai-differences.tsv` and excused; nothing
/// else is. Skipped (with the reason) only when Sisimai is not installed.
final class SisimaiOracleTests: XCTestCase {
    /// Sisimai reasons that agree with each cause of ours (a cause may have several:
    /// Sisimai 4.25 names most 5.7.x refusals `securityerror`).
    static let sisimaiReasons: [FailureCause: Set<String>] = [
        .userUnknown: ["userunknown"], .hostUnknown: ["hostunknown"], .hasMoved: ["hasmoved"],
        .notAccept: ["notaccept"], .mailboxFull: ["mailboxfull"], .suspended: ["suspend"],
        .tooLarge: ["mesgtoobig", "exceedlimit"], .blocked: ["blocked"],
        .policy: ["policyviolation", "rejected", "securityerror"], .auth: ["securityerror", "policyviolation"],
        .spamContent: ["spamdetected"], .filtered: ["filtered"], .contentError: ["contenterror"],
        .virus: ["virusdetected"], .rateLimited: ["toomanyconn"], .senderRejected: ["rejected"],
        .noRelaying: ["norelaying"], .syntaxError: ["syntaxerror"], .network: ["networkerror"],
        .expired: ["expired"], .systemError: ["systemerror", "systemfull"], .mailerError: ["mailererror"],
        .onHold: ["onhold"], .other: ["undefined", "onhold"],
        // Sisimai has no greylisting reason: not counted in the cause agreement.
        .greylisted: [],
    ]

    /// One recipient as Sisimai reads it.
    struct OracleLine: Decodable {
        var file: String
        var recipient: String?
        var alias: String?
        var reason: String?
        var hardbounce: Bool?
        var action: String?
    }

    /// One judged difference of `sisimai-differences.tsv`.
    struct Excuse: Hashable {
        var file: String
        var recipient: String
        var what: String
    }

    private static var root: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static var corpus: URL { root.appendingPathComponent("Tests/Fixtures/bounces") }

    func testChatterAgreesWithSisimaiOnTheBounceCorpus() throws {
        guard try Self.run(["perl", "-MSisimai", "-e", "1"]).status == 0 else {
            throw XCTSkip("Sisimai is not installed (Debian libsisimai-perl; `make deps` installs it): oracle test not run")
        }
        let oracle = try Self.run(["perl", Self.root.appendingPathComponent("scripts/sisimai-oracle.pl").path, Self.corpus.path])
        XCTAssertEqual(oracle.status, 0, oracle.output)
        let lines = try oracle.output.split(separator: "\n").map {
            try JSONDecoder().decode(OracleLine.self, from: Data($0.utf8))
        }
        let excuses = try Self.excuses()
        var chatter: [String: [ParsedEvent]] = [:]
        for file in Set(lines.map(\.file)) {
            let bytes = Array(try Data(contentsOf: Self.corpus.appendingPathComponent(file)))
            chatter[file] = (try? DsnParser.parse(bytes, path: file)) ?? []
        }
        var tally = Tally()
        var used = Set<Excuse>()
        for line in lines {
            guard let recipient = line.recipient, let reason = line.reason,
                !["delivered", "vacation", "feedback"].contains(reason)
            else { continue }
            let excuse = { (what: String) -> Bool in
                let key = Excuse(file: line.file, recipient: recipient, what: what)
                guard excuses.contains(key) else { return false }
                used.insert(key)
                return true
            }
            let found = chatter[line.file, default: []].first { e in
                guard Self.isFailure(e) else { return false }
                return [recipient, line.alias].contains(e.recipient) || e.finalRecipient == recipient
            }
            tally.total += 1
            guard let found else {
                if excuse("recipient") || excuse("unread") { tally.excused += 1 } else { tally.missed.append("\(line.file) \(recipient) (\(reason))") }
                continue
            }
            tally.found += 1
            let hard = found.kind == .event(.hardBounce)
            if hard == (line.hardbounce ?? false) {
                tally.hardSoftAgree += 1
            } else if excuse("hard_soft") {
                tally.hardSoftAgree += 1
                tally.hardSoftExcused += 1
            } else {
                tally.hardSoftDiffer.append("\(line.file) \(recipient): chatter \(hard ? "hard" : "soft") \(found.cause?.rawValue ?? "-"), Sisimai \(reason)")
            }
            if let cause = found.cause, let reasons = Self.sisimaiReasons[cause], !reasons.isEmpty {
                tally.causeCompared += 1
                if reasons.contains(reason) { tally.causeAgree += 1 } else { tally.causeDiffer.append("\(cause.rawValue)≠\(reason)") }
            }
        }
        let recall = Double(tally.found + tally.excused) / Double(max(tally.total, 1))
        let hardSoft = Double(tally.hardSoftAgree) / Double(max(tally.found, 1))
        let causeAgreement = Double(tally.causeAgree) / Double(max(tally.causeCompared, 1))
        print(String(format: "sisimai oracle: %d bounced recipients in %d mails; recall %.1f %% (%d found, %d excused: %.1f %% before excuses); hard/soft agreement %.1f %% (%d excused: %.1f %% before excuses); cause agreement %.1f %% of %d",
            tally.total, chatter.count, recall * 100, tally.found, tally.excused,
            Double(tally.found) / Double(max(tally.total, 1)) * 100, hardSoft * 100, tally.hardSoftExcused,
            Double(tally.hardSoftAgree - tally.hardSoftExcused) / Double(max(tally.found, 1)) * 100,
            causeAgreement * 100, tally.causeCompared))
        for miss in tally.missed { print("  missed: \(miss)") }
        for differ in tally.hardSoftDiffer { print("  hard/soft differs: \(differ)") }
        print("  cause differences: " + Dictionary(grouping: tally.causeDiffer, by: { $0 }).map { "\($0.key) ×\($0.value.count)" }.sorted().joined(separator: ", "))
        for stale in excuses.subtracting(used).sorted(by: { $0.file < $1.file }) {
            print("  listed difference no longer seen: \(stale.file) \(stale.recipient) \(stale.what)")
        }
        XCTAssertGreaterThan(tally.total, 0, "the corpus gave Sisimai nothing to read")
        XCTAssertGreaterThanOrEqual(recall, 0.98, "recall below 98 %: \(tally.missed)")
        XCTAssertGreaterThanOrEqual(hardSoft, 0.95, "hard / soft agreement below 95 %: \(tally.hardSoftDiffer)")
    }

    /// Every cause has a row in the table (a new cause must say what Sisimai calls it).
    func testEveryCauseHasASisimaiCounterpartRow() {
        for cause in FailureCause.allCases { XCTAssertNotNil(Self.sisimaiReasons[cause], cause.rawValue) }
    }

    private struct Tally {
        var total = 0, found = 0, excused = 0, hardSoftAgree = 0, hardSoftExcused = 0, causeCompared = 0, causeAgree = 0
        var missed: [String] = [], hardSoftDiffer: [String] = [], causeDiffer: [String] = []
    }

    private static func isFailure(_ event: ParsedEvent) -> Bool {
        guard case .event(let type) = event.kind else { return false }
        switch type {
        case .hardBounce, .softBounce, .deferral, .reject, .error: return true
        case .sent, .delivered, .open, .click, .spam, .unsub, .retry: return false
        }
    }

    /// The judged differences: `file<TAB>recipient<TAB>what<TAB>why`, `#` comments.
    private static func excuses() throws -> Set<Excuse> {
        let url = corpus.appendingPathComponent("sisimai-differences.tsv")
        guard FileManager.default.fileExists(atPath: url.path) else { return [] }
        var set = Set<Excuse>()
        for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4, !fields[3].isEmpty else {
                XCTFail("sisimai-differences.tsv: a line needs file, recipient, what and why: \(line)")
                continue
            }
            set.insert(Excuse(file: fields[0], recipient: fields[1].lowercased(), what: fields[2]))
        }
        return set
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
