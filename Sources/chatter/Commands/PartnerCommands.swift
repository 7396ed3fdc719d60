import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// `chatter partner add|show`.
struct PartnerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner", abstract: "Add a partner, show its card or fix its address.",
        subcommands: [Add.self, Show.self, SetEmail.self])

    struct SetEmail: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-email",
            abstract: "Fix a partner's address; the bounced flag and score follow the new address (audited).",
            discussion: "A likely typo of a common domain (gmial.com) is suggested on stderr; the address is set as given.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The partner's id.")
        var id: Int64

        @Argument(help: "The new address (checked like post; international domains accepted).")
        var address: String

        func run() throws {
            let store = try global.openReviewStore()
            let me = try global.currentUser(store)
            let card = try store.changePartnerEmail(id: id, email: address, by: me.id)
            if let better = card.email.flatMap(DomainTypo.suggestion(forAddress:)) {
                err(SafeText.clean("did you mean \(better)? (set as given: \(card.email ?? ""))"))
            }
            if global.json {
                out(JSONRows.partner(card).text)
            } else {
                out(SafeText.clean("\(card.name) <\(card.email ?? "")>  (id \(card.id))"))
                out("email score   \(Format.score(card.emailScore)) (\(EmailScore.verdict(card.emailScore, bounced: card.emailBounced)))")
                out("bounced       \(card.emailBounced ? "yes" : "no")")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a partner; prints its id.")

        @OptionGroup var global: GlobalOptions

        @Option(name: .long, help: "Display name.")
        var name: String

        @Option(name: .long, help: "Email address (optional: a partner may have none).")
        var email: String?

        func run() throws {
            let store = try global.openStore(create: true)
            let id = try store.addPartner(name: name, email: email)
            out(global.json ? JSON.object([("id", .int(id))]).text : String(id))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a partner's card: score with its breakdown, bounced flag.")

        @OptionGroup var global: GlobalOptions

        @Argument(help: "The partner's email address or id.")
        var partner: String

        func run() throws {
            let store = try global.openStore(readOnly: true)
            let card = try Int64(partner).map { try store.partnerCard(id: $0) } ?? store.partnerCard(email: partner)
            if global.json {
                out(JSONRows.partner(card).text)
                return
            }
            out(SafeText.clean("\(card.name) <\(card.email ?? "no email")>  (id \(card.id))"))
            out("email score   \(Format.score(card.emailScore)) (\(EmailScore.verdict(card.emailScore, bounced: card.emailBounced)))")
            out("bounced       \(card.emailBounced ? "yes" : "no")")
            out("trackings     \(card.trackingCount)")
            if !card.breakdown.lines.isEmpty {
                var t = Table("STATE", "ROWS", "WEIGHT", "CONTRIBUTION")
                for l in card.breakdown.lines {
                    t.add([Format.state(l.state), String(l.count), Format.score(l.weight), Format.score(l.contribution)])
                }
                out("")
                t.print()
                out("start 50, sum \(Format.score(card.breakdown.unclamped)), clamped to 0…100")
            }
        }
    }
}

/// `chatter partners`.
struct PartnersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "partners", abstract: "List partners with score and bounced flag.")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Only partners whose address is flagged bounced.")
    var bounced = false

    @Option(name: .long, help: "At most this many rows (0 = all).")
    var limit: Int = 0

    func run() throws {
        let store = try global.openReader()
        let cards = try store.partners(
            bouncedOnly: bounced, after: nil, afterId: nil, limit: limit <= 0 ? Int.max / 2 : limit)
        if global.json {
            out(JSON.array(cards.map(JSONRows.partner)).text)
            return
        }
        var t = Table("ID", "NAME", "EMAIL", "SCORE", "BOUNCED", "TRACKINGS")
        for c in cards {
            t.add([
                String(c.id), c.name, c.email ?? "-", Format.score(c.emailScore), c.emailBounced ? "yes" : "",
                String(c.trackingCount),
            ])
        }
        t.print()
    }
}
