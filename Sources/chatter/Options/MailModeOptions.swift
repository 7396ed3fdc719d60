import ArgumentParser

/// How a message queued from here goes out: one mail per recipient (the
/// default, per-recipient opens) or one mail to all of them with one shared
/// pixel. Read by `post --send` and the front's compose; the mode is recorded on
/// the message when it is queued, so `chatter send` follows it whatever its own
/// settings (a half-sent message is never split or merged).
struct MailModeOptions: ParsableArguments {
    @Flag(
        name: .long, inversion: .prefixedNo,
        help: "One mail to all recipients with a shared pixel (opens cannot tell who); --no-one-mail: one per recipient (config: mail_per_recipient; default one per recipient).")
    var oneMail: Bool?

    /// True for one shared mail: the flag, else `[smtp] mail_per_recipient = false`.
    func sharedMail(_ file: SMTPConfigFile) throws -> Bool {
        if let oneMail { return oneMail }
        switch file.values["mail_per_recipient"] {
        case nil, "true": return false
        case "false": return true
        case let other?: throw CLIError.usage("smtp.mail_per_recipient: expected true or false, got \(other)")
        }
    }
}
