import TrackingStore

/// Something that delivers one mail at a time and says what became of it.
/// A transport may keep a connection open between mails; `finish` closes it.
public protocol MailTransport: AnyObject {
    /// Delivers one mail; never throws: every failure is an outcome.
    func deliver(_ mail: OutgoingMail) async -> SendOutcome
    /// Closes what `deliver` left open.
    func finish() async
}
