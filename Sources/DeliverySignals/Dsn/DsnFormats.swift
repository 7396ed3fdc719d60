import Foundation
import MailFormat
import TrackingModel

/// The mail systems whose notices are not (only) RFC 3464 reports, and how each is told apart.
///
/// One row per format family: the markers that identify it (sender, subject, a phrase of
/// its text) and the phrases that make a notice a delay warning instead of a failure.
/// Recipients and replies are read by the shared grammar of `DsnText`; the row only says
/// that the mail *is* a bounce, and names its format (kept in the event's error details).
struct DsnFormat: Sendable {
    /// Short name: `exim`, `sendmail`, `qmail`, `exchange2007`...
    let name: String
    /// Lower-cased phrases of the From header (display name or address).
    let from: [String]
    /// Lower-cased phrases of the Subject.
    let subject: [String]
    /// Lower-cased phrases of the notice's own text.
    let body: [String]
    /// Whether one body phrase is enough; else a sender or subject phrase must match too
    /// (for phrases a person may write: "my mailbox is full").
    var bodyAlone = true

    /// Whether the mail matches: a body phrase (with the sender or subject unless `bodyAlone`),
    /// or both a sender and a subject phrase.
    func matches(from sender: String, subject title: String, body text: String) -> Bool {
        let byFrom = from.contains { MimeText.contains(sender, $0) }
        let bySubject = subject.contains { MimeText.contains(title, $0) }
        if body.contains(where: { MimeText.contains(text, $0) }) && (bodyAlone || byFrom || bySubject) { return true }
        return byFrom && bySubject
    }
}

enum DsnFormats {
    /// Most common first: the first row that matches names the format.
    static let all: [DsnFormat] = [
        DsnFormat(name: "exim", from: ["mail delivery system"], subject: ["mail delivery failed", "warning: message"],
            body: ["the following address(es) failed", "this message was created automatically by mail delivery",
                   "a message that you sent could not be delivered", "a message that you sent has not yet been delivered"]),
        DsnFormat(name: "sendmail", from: ["mailer-daemon"], subject: ["returned mail:", "warning: could not send"],
            body: ["----- transcript of session follows -----", "the following addresses had permanent fatal errors",
                   "----- unsent message follows -----"]),
        DsnFormat(name: "qmail", from: ["mailer-daemon"], subject: ["failure notice"],
            body: ["this is the qmail-send program", "i wasn't able to deliver your message"]),
        DsnFormat(name: "postfix", from: ["mail delivery system"], subject: ["undelivered mail returned to sender",
            "delayed mail (still being retried)"],
            body: ["this is the mail system at host", "this is the postfix program", "could not be delivered to one or more recipients"]),
        DsnFormat(name: "exchange2007", from: ["microsoft outlook", "postmaster"], subject: ["undeliverable:", "unzustellbar:"],
            body: ["delivery has failed to these recipients or groups", "diagnostic information for administrators",
                   "delivery to these recipients or groups is delayed",
                   "could not be delivered to these recipients"]),
        DsnFormat(name: "exchange2003", from: ["system administrator"], subject: ["undeliverable:"],
            body: ["did not reach the following recipient", "did not reach some or all of the intended recipients"]),
        DsnFormat(name: "gmail", from: ["mail delivery subsystem"], subject: ["delivery status notification"],
            body: ["delivery to the following recipient", "technical details of permanent failure",
                   "** message not delivered **", "message will be retried for"]),
        DsnFormat(name: "yahoo", from: ["mailer-daemon@yahoo"], subject: ["failure notice"],
            body: ["sorry, we were unable to deliver your message to the following address"]),
        DsnFormat(name: "courier", from: ["courier mail server"], subject: ["notice: mail delivery status", "warning: delayed mail"],
            body: ["undeliverable mail", "delays in delivering your message"]),
        DsnFormat(name: "opensmtpd", from: ["mailer daemon"], subject: ["delivery status notification"],
            body: ["this is the mailer-daemon, please do not reply", "an error has occurred while attempting to deliver"]),
        DsnFormat(name: "domino", from: ["postmaster"], subject: ["delivery failure", "delivery report"],
            body: ["was not delivered to:", "not listed in domino directory", "not listed in public name & address book"]),
        DsnFormat(name: "amazonses", from: ["mailer-daemon@amazonses", "mailer-daemon@email-bounces.amazonses"],
            subject: ["delivery status notification"],
            body: ["the following message to", "an error occurred while trying to deliver the mail to the following recipients"]),
        DsnFormat(name: "zoho", from: ["mailer-daemon@zoho", "mailer-daemon@mail.zoho"], subject: ["undelivered mail"],
            body: ["invalid address, error_code", "error_code :"]),
        DsnFormat(name: "mdaemon", from: ["mdaemon"], subject: ["permanent delivery failure", "delivery failure"],
            body: ["permanent fatal delivery errors", "had permanent fatal delivery errors"]),
        DsnFormat(name: "messagingserver", from: ["internet mail delivery"], subject: ["delivery notification:"],
            body: ["this report relates to a message you sent with the following header fields",
                   "your message cannot be delivered to the following recipients"]),
        DsnFormat(name: "james", from: ["mailer-daemon"], subject: ["[bounce]"],
            body: ["message bounced; the delivery error message was", "error message below:"]),
        DsnFormat(name: "filter", from: ["mailer-daemon", "postmaster", "mailmarshal"],
            subject: ["undeliverable message", "undeliverable mail", "delivery failure", "mail could not be delivered",
                      "message undeliverable", "permanent delivery failure", "returned mail"],
            body: ["the following recipients did not receive the attached mail", "could not be delivered to the following recipients",
                   "your message could not be delivered to the following recipients",
                   "original message could not be delivered", "the following recipient(s) could not be reached"]),
        DsnFormat(name: "mailinglist", from: ["-owner@", "-request@", "listserv", "majordomo", "fml"], subject: ["returned mail",
            "bounce", "error", "rejected"],
            body: ["you are not a member of this mailing list", "your mail was rejected by the list", "could not be distributed",
                   "is not a member of the list"], bodyAlone: false),
        DsnFormat(name: "carrier", from: ["postmaster@ezweb", "postmaster@au.com", "postmaster@biglobe", "postmaster@vtext",
            "postmaster@vzwpix", "mailer-daemon@"],
            subject: ["mail system error", "undeliverable message", "returned mail"],
            body: ["message could not be delivered to mobile", "mailbox is full", "the user's mailbox is full",
                   "could not be delivered because the user's mailbox", "this user doesn't have an account"], bodyAlone: false),
        DsnFormat(name: "failedmail", from: ["postmaster", "mailer-daemon"], subject: ["failed mail"], body: ["failed mail to "],
            bodyAlone: false),
    ]

    /// The first format the mail matches, or nil.
    static func format(from sender: String, subject: String, body: String) -> DsnFormat? {
        all.first { $0.matches(from: sender, subject: subject, body: body) }
    }

    /// Vendor wording the shared classifier does not know, with the cause it means: used only
    /// when the reply read gives no better cause than `other`.
    static let vendorCauses: [(String, FailureCause)] = [
        ("this user doesn't have a", .userUnknown), ("doesn't have an account", .userUnknown),
        ("exceeded the local limit", .mailboxFull), ("number of messages in recipient's mailbox", .mailboxFull),
        ("as the remote domain doesnt exist", .hostUnknown), ("you are not a member", .senderRejected),
        ("not member article from", .senderRejected), ("is not a member of the list", .senderRejected),
        ("message could not be delivered to mobile", .userUnknown), ("not have permission to post", .policy),
        ("not authorized to send mail to", .senderRejected),
    ]

    /// The vendor cause named in a lower-cased text, if any.
    static func vendorCause(in text: String) -> FailureCause? {
        vendorCauses.first { MimeText.contains(text, $0.0) }?.1
    }

    /// Phrases of a delay warning: the notice says the MTA is still trying.
    static let delayPhrases = [
        "has not yet been delivered", "just a warning", "this is a warning", "warning message only",
        "will continue to attempt", "will keep trying", "will keep on trying", "will retry", "still trying",
        "has been delayed", "delays in delivering", "not been delivered yet", "you do not need to resend",
        "delivery delayed", "delivery is delayed", "delayed mail", "message will be retried", "is delayed",
        "no action is required on your part", "delivery status notification (delay)", "delayed:",
    ]

    /// Phrases that say the MTA gave up: they win over a delay phrase.
    static let permanentPhrases = [
        "permanent error", "failed permanently", "permanent fatal", "i've given up", "i have given up",
        "gave up", "permanent failure", "delivery has failed", "permanently rejected",
    ]
}
