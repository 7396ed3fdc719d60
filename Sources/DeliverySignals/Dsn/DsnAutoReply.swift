import Foundation
import MailFormat

/// Recognises auto-replies (vacation, out-of-office): they reach the bounce address
/// but say nothing about delivery, so they are ignored, never counted as bounces.
public enum DsnAutoReply {
    /// Subject beginnings / phrases of auto-replies in the languages seen most.
    public static let subjectPhrases = [
        "out of office", "out of the office", "automatic reply", "auto reply", "auto-reply", "autoreply",
        "auto response", "autoresponse", "abwesenheitsnotiz", "automatische antwort", "abwesend",
        "réponse automatique", "reponse automatique", "absence", "respuesta automática", "fuera de la oficina",
        "risposta automatica", "fuori sede", "automatisch antwoord", "afwezig", "vacation", "on vacation",
        "i am away", "i am out", "away from the office",
    ]

    /// True when the headers mark an automatic reply: `Auto-Submitted` other than `no`,
    /// `X-Autoreply` / `X-Autorespond`, `Precedence: auto_reply`, or an auto-reply subject.
    /// Call it only after the mail was found not to be a bounce (DSNs are auto-submitted too).
    public static func isAutoReply(_ headers: MimeHeaders) -> Bool {
        if let submitted = headers["Auto-Submitted"].map({ MimeText.trimmed($0.lowercased()) }),
            !submitted.isEmpty, !submitted.hasPrefix("no")
        {
            return true
        }
        if headers["X-Autoreply"] != nil || headers["X-Autorespond"] != nil || headers["X-Autoresponder"] != nil {
            return true
        }
        if headers["Precedence"].map({ MimeText.contains($0.lowercased(), "auto_reply") }) == true { return true }
        let subject = (headers.decoded("Subject") ?? "").lowercased()
        return subjectPhrases.contains { MimeText.contains(subject, $0) }
    }
}
