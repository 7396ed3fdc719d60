/// Optional details an event carries (README "The rules").
public struct EventDetails: Sendable, Hashable, Codable {
    public var recipient: String?
    public var smtpServer: String?
    public var url: String?
    public var ip: String?
    public var userAgent: String?
    public var osFamily: String?
    public var uaFamily: String?
    public var uaType: String?
    public var mobile: Bool?
    public var country: String?
    public var errorType: String?
    public var errorDescription: String?
    public var errorDetails: String?
    public var bounceType: String?
    public var bounceDescription: String?
    /// Why a failure or deferral happened (its side follows from it); nil for other events.
    public var cause: FailureCause?

    public init(
        recipient: String? = nil, smtpServer: String? = nil, url: String? = nil, ip: String? = nil,
        userAgent: String? = nil, osFamily: String? = nil, uaFamily: String? = nil, uaType: String? = nil,
        mobile: Bool? = nil, country: String? = nil, errorType: String? = nil, errorDescription: String? = nil,
        errorDetails: String? = nil, bounceType: String? = nil, bounceDescription: String? = nil,
        cause: FailureCause? = nil
    ) {
        self.recipient = recipient
        self.smtpServer = smtpServer
        self.url = url
        self.ip = ip
        self.userAgent = userAgent
        self.osFamily = osFamily
        self.uaFamily = uaFamily
        self.uaType = uaType
        self.mobile = mobile
        self.country = country
        self.errorType = errorType
        self.errorDescription = errorDescription
        self.errorDetails = errorDetails
        self.bounceType = bounceType
        self.bounceDescription = bounceDescription
        self.cause = cause
    }
}

extension EventDetails {
    /// The `error_details` of an open recorded from a shared pixel (one mail to
    /// several recipients): the open may be any of that mail's recipients'.
    public static let sharedPixel = "shared_pixel"
}
