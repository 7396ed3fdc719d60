import TrackingModel
import TrackingStore

/// The JSON shape of each row type: the names here are a contract (README,
/// "JSON output"); scripts rely on them.
enum JSONRows {
    static func thread(_ t: ThreadSummary) -> [(String, JSON)] {
        [
            ("id", .int(t.id)), ("ref", .string(t.ref.description)), ("name", .string(t.name)),
            ("failed_count", .int(Int64(t.failedCount))), ("message_count", .int(Int64(t.messageCount))),
            ("last_activity", .number(t.lastActivity)),
        ]
    }

    static func recipient(_ r: RecipientEntry) -> JSON {
        .object([
            ("name", .string(r.name)), ("address", .str(r.address)), ("partner_id", .id(r.partnerId)),
            ("tracking_id", .id(r.trackingId)), ("state", .str(r.state?.rawValue)), ("marker", .string(r.marker.rawValue)),
            ("cc", .bool(r.cc)), ("error_type", .str(r.errorType)), ("error_description", .str(r.errorDescription)),
        ] + cause(r.cause))
    }

    /// `cause` (the word) and `side`, null when none: the "Why it failed" fields of every listing.
    static func cause(_ c: FailureCause?) -> [(String, JSON)] {
        [("cause", .str(c?.rawValue)), ("side", .str(c?.side.rawValue))]
    }

    static func message(_ m: MessageView) -> JSON {
        .object([
            ("id", .int(m.id)), ("message_id", .string(m.messageId)), ("thread", .string(m.thread.description)),
            ("author", .string(m.author.name)), ("author_id", .int(m.author.id)), ("date", .number(m.date)),
            ("subject", .string(m.subject)), ("body", .string(m.body)), ("needs_action", .bool(m.needsAction)),
            ("failed", .bool(m.isFailed)), ("shared_mail", .bool(m.sharedMail)),
            ("recipients", .array(m.recipients.map(recipient))),
        ])
    }

    static func failed(_ m: MessageView) -> JSON {
        .object([
            ("id", .int(m.id)), ("thread", .string(m.thread.description)), ("thread_name", .string(m.threadName)),
            ("author", .string(m.author.name)), ("date", .number(m.date)), ("subject", .string(m.subject)),
            ("failed_recipients", .array(m.failedRecipients.map(recipient))),
        ])
    }

    static func tracking(_ t: TrackingRow) -> JSON {
        .object([
            ("id", .int(t.id)), ("message_id", .int(t.messageId)), ("partner_id", .id(t.partnerId)),
            ("date", .number(t.createdAt)), ("subject", .string(t.subject)), ("sender", .string(t.sender)),
            ("recipient", .string(t.recipient)), ("address", .str(t.address)), ("state", .str(t.state?.rawValue)),
            ("marker", .string(t.marker.rawValue)), ("cc", .bool(t.cc)), ("error_smtp_server", .str(t.errorSmtpServer)),
            ("error_type", .str(t.errorType)), ("error_description", .str(t.errorDescription)),
            ("bounce_type", .str(t.bounceType)), ("bounce_description", .str(t.bounceDescription)),
            // The URL the mail carried; rows sent before chatter kept it: built from the configured base.
            ("pixel_url", .string(t.pixelURL ?? PixelLink.url(base: PixelBase.url, trackingId: t.id, token: t.token))),
        ] + cause(t.cause))
    }

    static func event(_ e: EventRow) -> JSON {
        let d = e.details
        return .object([
            ("id", .int(e.id)), ("tracking_id", .int(e.trackingId)), ("type", .string(e.type.rawValue)),
            ("timestamp", .number(e.timestamp)), ("source", .string(e.source)), ("key", .string(e.key)),
            ("machine", .bool(e.machine)), ("recipient", .str(d.recipient)), ("smtp_server", .str(d.smtpServer)),
            ("url", .str(d.url)), ("ip", .str(d.ip)), ("user_agent", .str(d.userAgent)), ("os_family", .str(d.osFamily)),
            ("ua_family", .str(d.uaFamily)), ("ua_type", .str(d.uaType)), ("mobile", .bool(d.mobile)),
            ("country", .str(d.country)), ("error_type", .str(d.errorType)),
            ("error_description", .str(d.errorDescription)), ("error_details", .str(d.errorDetails)),
            ("bounce_type", .str(d.bounceType)), ("bounce_description", .str(d.bounceDescription)),
        ] + cause(d.cause))
    }

    static func partner(_ p: PartnerCard) -> JSON {
        .object([
            ("id", .int(p.id)), ("name", .string(p.name)), ("email", .str(p.email)), ("email_score", .number(p.emailScore)),
            ("email_bounced", .bool(p.emailBounced)), ("tracking_count", .int(Int64(p.trackingCount))),
            (
                "score_breakdown",
                .array(
                    p.breakdown.lines.map {
                        .object([
                            ("state", .string(Format.state($0.state))), ("count", .int(Int64($0.count))),
                            ("weight", .number($0.weight)), ("contribution", .number($0.contribution)),
                        ])
                    })
            ),
        ])
    }
}
