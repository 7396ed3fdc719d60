import Foundation

/// A parsed RFC 5322 / MIME message or body part.
///
/// Parsing never fails: whatever is wrong is recorded in `defects` and the rest
/// is kept, because a bounce parser must still find what it can in broken mail.
public struct MimeMessage: Sendable {
    /// How deep multiparts and attached messages are followed; deeper input is kept unparsed.
    public static let maximumDepth = 24

    /// The header fields of this message or part.
    public var headers: MimeHeaders
    /// The parsed Content-Type (`text/plain` when absent).
    public var contentType: MimeContentType
    /// The body as it appeared, still transfer-encoded.
    public var rawBody: ArraySlice<UInt8>
    /// The children of a `multipart/*` body, in order.
    public var parts: [MimeMessage]
    /// Text before the first boundary and after the closing one (multipart only).
    public var preamble: ArraySlice<UInt8>
    public var epilogue: ArraySlice<UInt8>
    /// Field groups of a `message/delivery-status` or `message/feedback-report` body.
    public var fieldGroups: [MimeHeaders]
    /// What was wrong with the input (`missing final boundary`, `no boundary found`...).
    public var defects: [String]
    /// The attached message of `message/rfc822`, `message/global` or `text/rfc822-headers`.
    public var attached: MimeMessage? { attachedStorage.first }
    private var attachedStorage: [MimeMessage]

    /// Parses raw message bytes.
    public init<C: Collection<UInt8>>(bytes: C) {
        self.init(slice: ArraySlice(bytes), depth: 0)
    }

    init(slice: ArraySlice<UInt8>, depth: Int) {
        let (headers, bodyStart) = MimeHeaders.parse(slice)
        self.headers = headers
        self.contentType = MimeContentType.parse(headers["Content-Type"])
        self.rawBody = slice[bodyStart...]
        self.parts = []
        self.preamble = []
        self.epilogue = []
        self.fieldGroups = []
        self.defects = []
        self.attachedStorage = []
        if headers.fields.isEmpty { defects.append("no header fields") }
        guard depth < Self.maximumDepth else {
            defects.append("nesting too deep")
            return
        }
        let mimeType = contentType.mimeType
        switch mimeType {
        case "message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers":
            attachedStorage = [MimeMessage(slice: ArraySlice(decodedBody), depth: depth + 1)]
        case "message/delivery-status", "message/feedback-report", "message/global-delivery-status":
            fieldGroups = MimeFieldGroups.parse(ArraySlice(decodedBody))
        default:
            if contentType.type == "multipart" { parseMultipart(depth: depth) }
        }
    }

    private mutating func parseMultipart(depth: Int) {
        guard let boundary = contentType.parameters["boundary"], !boundary.isEmpty else {
            defects.append("multipart without boundary")
            return
        }
        let split = MimeMultipart.split(rawBody, boundary: boundary)
        preamble = split.preamble
        epilogue = split.epilogue
        defects.append(contentsOf: split.defects)
        parts = split.parts.map { MimeMessage(slice: $0, depth: depth + 1) }
    }

    /// The body with its Content-Transfer-Encoding undone.
    public var decodedBody: [UInt8] {
        MimeTransferDecoding.decode(rawBody, encoding: headers["Content-Transfer-Encoding"])
    }

    /// The decoded body as text in its declared charset (UTF-8 / Latin-1 fallback).
    public var text: String {
        MimeCharset.text(decodedBody, charset: contentType.parameters["charset"])
    }

    /// This part and every part below it, depth first (attached messages included).
    public var allParts: [MimeMessage] {
        var out: [MimeMessage] = [self]
        for part in parts { out.append(contentsOf: part.allParts) }
        if let attached { out.append(contentsOf: attached.allParts) }
        return out
    }

    /// This part and its multipart descendants, without entering attached messages:
    /// the parts that belong to this message itself (not to a returned original).
    public var ownParts: [MimeMessage] {
        var out: [MimeMessage] = [self]
        for part in parts { out.append(contentsOf: part.ownParts) }
        return out
    }

    /// Every defect found here or below.
    public var allDefects: [String] {
        allParts.flatMap(\.defects)
    }
}
