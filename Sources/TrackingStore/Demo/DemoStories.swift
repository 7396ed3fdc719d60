import TrackingModel

extension DemoGenerator {
    /// The events that tell an outcome's story, timed after the message date and never after now.
    func makeEvents(outcome: DemoOutcome, noAddress: Bool, date: Double, recipient: String?) -> [NewEvent] {
        var out: [NewEvent] = []
        let now = options.now
        func add(_ type: EventType, _ at: Double, _ details: EventDetails = EventDetails()) {
            guard at <= now else { return }
            eventSeq += 1
            var d = details
            d.recipient = d.recipient ?? recipient
            out.append(NewEvent(trackingId: 0, type: type, timestamp: at, source: "demo", key: Self.paddedKey(eventSeq), details: d))
        }
        func failure(_ kind: String) -> DemoDataset.Failure {
            let list = data.failures[kind] ?? []
            let f = list.isEmpty ? DemoDataset.Failure(description: kind) : rng.pick(list)
            var copy = f
            copy.description = f.description.replacingOccurrences(of: "{address}", with: recipient ?? "")
            return copy
        }
        let server = "smtp.yourcompany.example"
        if noAddress {
            add(.error, date + 1, EventDetails(errorType: noRecipientErrorType, errorDescription: noRecipientDescription))
            return out
        }
        let sentAt = date + Double.random(in: 1...5, using: &rng)
        let deliveredAt = sentAt + Double.random(in: 2...120, using: &rng)
        func profile() -> EventDetails {
            guard !data.opens.isEmpty else { return EventDetails() }
            let p = rng.pick(data.opens)
            return EventDetails(
                ip: p.ip, userAgent: p.userAgent, osFamily: p.osFamily, uaFamily: p.uaFamily, uaType: p.uaType,
                mobile: p.mobile, country: p.country)
        }
        switch outcome {
        case .waiting:
            break
        case .sent:
            add(.sent, sentAt, EventDetails(smtpServer: server))
        case .deferred:
            add(.sent, sentAt, EventDetails(smtpServer: server))
            let f = failure("mailbox_full")
            add(.deferral, deliveredAt, EventDetails(errorType: f.status, errorDescription: f.description, errorDetails: f.server, cause: f.cause))
        case .delivered:
            add(.sent, sentAt, EventDetails(smtpServer: server))
            add(.delivered, deliveredAt)
        case .opened, .clicked, .unsubscribed:
            add(.sent, sentAt, EventDetails(smtpServer: server))
            add(.delivered, deliveredAt)
            let openAt = deliveredAt + Double.random(in: 60...(3 * 86400), using: &rng)
            add(.open, openAt, profile())
            if outcome == .clicked {
                var d = profile()
                d.url = data.urls.isEmpty ? nil : rng.pick(data.urls)
                add(.click, openAt + Double.random(in: 5...600, using: &rng), d)
            }
            if outcome == .unsubscribed {
                let f = failure("unsubscribed")
                add(.unsub, openAt + 30, EventDetails(errorDescription: f.description))
            }
        case .badMailbox:
            add(.sent, sentAt, EventDetails(smtpServer: server))
            let f = failure("bad_mailbox")
            add(.hardBounce, deliveredAt, EventDetails(smtpServer: f.server, bounceType: "hard", bounceDescription: f.description, cause: f.cause))
        case .mailboxFull:
            add(.sent, sentAt, EventDetails(smtpServer: server))
            let f = failure("mailbox_full")
            add(.deferral, deliveredAt, EventDetails(errorType: f.status, errorDescription: f.description, cause: f.cause))
            add(.softBounce, deliveredAt + 3600, EventDetails(smtpServer: f.server, bounceType: "soft", bounceDescription: f.description, cause: f.cause))
        case .policy:
            add(.sent, sentAt, EventDetails(smtpServer: server))
            let f = failure("policy")
            add(.reject, deliveredAt, EventDetails(smtpServer: f.server, errorType: "rejected", errorDescription: f.description, cause: f.cause))
        case .spam:
            add(.sent, sentAt, EventDetails(smtpServer: server))
            add(.delivered, deliveredAt)
            let f = failure("spam")
            add(.spam, deliveredAt + 7200, EventDetails(errorType: "spam", errorDescription: f.description, cause: f.cause))
        case .smtpError:
            let f = failure("smtp_error")
            add(
                .error, sentAt,
                EventDetails(
                    smtpServer: f.server ?? server, errorType: f.errorType ?? "SMTPException", errorDescription: f.description,
                    cause: f.cause))
        }
        return out
    }
}
