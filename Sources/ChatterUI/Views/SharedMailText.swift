/// The caveat the chatter shows where a message went as one mail to all its
/// recipients: its one pixel cannot tell who opened it, so an open recorded on a
/// recipient may be another recipient's (the store records it on every sent or
/// delivered row of the message).
enum SharedMailText {
    /// `one mail · shared pixel: an open may be any recipient's`.
    static func caveat(_ g: Glyphs) -> String {
        "one mail \(g.dot) shared pixel: an open may be any recipient's"
    }
}
