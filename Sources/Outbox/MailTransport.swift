import TrackingModel

/// Something that delivers one mail at a time and says what became of it for
/// each of its recipients. A transport may keep a connection open between
/// mails; `finish` closes it.
public protocol MailTransport: AnyObject {
    /// Delivers one mail; never throws: every failure is an outcome. One outcome
    /// per `mail.recipients`, in that order (a shared mail's recipients may fare differently).
    func deliver(_ mail: OutgoingMail) async -> [SendOutcome]
    /// Closes what `deliver` left open.
    func finish() async
}
