/// The recipient entries of a message in the reference's order (README "Markers"),
/// from its tracking rows and its To / Cc recipients as either store reads them:
/// one rule, so both stores show the same entries.
public enum RecipientOrder {
    /// What the recipient entries need of a tracking row.
    public struct TrackingBit: Sendable {
        public var id: Int64
        public var partnerId: Int64?
        public var recipient: String
        public var address: String?
        public var isCc: Bool
        public var state: TrackingState?
        public var errorType: String?
        public var errorText: String?
        public var partnerName: String?
        public var cause: FailureCause?

        public init(
            id: Int64, partnerId: Int64?, recipient: String, address: String?, isCc: Bool, state: TrackingState?,
            errorType: String?, errorText: String?, partnerName: String?, cause: FailureCause?
        ) {
            self.id = id
            self.partnerId = partnerId
            self.recipient = recipient
            self.address = address
            self.isCc = isCc
            self.state = state
            self.errorType = errorType
            self.errorText = errorText
            self.partnerName = partnerName
            self.cause = cause
        }
    }

    /// What the recipient entries need of a To / Cc recipient.
    public struct RecipientBit: Sendable {
        public var position: Int64
        public var isCc: Bool
        public var partnerId: Int64?
        public var address: String?
        public var display: String
        public var partnerName: String?
        public var partnerEmail: String?

        public init(
            position: Int64, isCc: Bool, partnerId: Int64?, address: String?, display: String, partnerName: String?,
            partnerEmail: String?
        ) {
            self.position = position
            self.isCc = isCc
            self.partnerId = partnerId
            self.address = address
            self.display = display
            self.partnerName = partnerName
            self.partnerEmail = partnerEmail
        }
    }

    /// README "Markers": tracking rows first, then partners without
    /// tracking, then Cc addresses without partner, then To addresses without
    /// partner; our aliases left out.
    public static func entries(trackings: [TrackingBit], recipients: [RecipientBit], aliases: Set<String>)
        -> [RecipientEntry]
    {
        var entries: [RecipientEntry] = []
        entries.reserveCapacity(trackings.count + recipients.count)
        // A message has a handful of recipients: a linear search beats hashing here
        // (this runs for every message of every listing).
        var trackedPartners: [Int64] = []
        var trackedAddresses: [String] = []
        for t in trackings {
            if let a = t.address, aliases.contains(a) { continue }
            if let p = t.partnerId { trackedPartners.append(p) }
            if let a = t.address { trackedAddresses.append(a) }
            entries.append(
                RecipientEntry(
                    name: t.partnerName ?? t.recipient, address: t.address, partnerId: t.partnerId, trackingId: t.id,
                    state: t.state, marker: Marker.forTracking(state: t.state, errorType: t.errorType), cc: t.isCc,
                    errorType: t.errorType, errorDescription: t.errorText, cause: t.cause))
        }
        var ccRaw: [RecipientEntry] = []
        var toRaw: [RecipientEntry] = []
        for r in recipients {
            if let a = r.address, aliases.contains(a) { continue }
            if let partnerId = r.partnerId {
                guard !trackedPartners.contains(partnerId) else { continue }
                let hasEmail = r.partnerEmail != nil
                entries.append(
                    RecipientEntry(
                        name: r.partnerName ?? r.display, address: r.address, partnerId: partnerId, trackingId: nil,
                        state: nil, marker: hasEmail ? .unknown : .noEmail, cc: r.isCc,
                        errorType: hasEmail ? nil : noRecipientErrorType,
                        errorDescription: hasEmail ? nil : noRecipientDescription))
            } else if let address = r.address, !trackedAddresses.contains(address) {
                let entry = RecipientEntry(
                    name: r.display, address: address, partnerId: nil, trackingId: nil, state: nil,
                    marker: r.isCc ? .cc : .noPartner, cc: r.isCc)
                if r.isCc { ccRaw.append(entry) } else { toRaw.append(entry) }
            }
        }
        return entries + ccRaw + toRaw
    }
}
