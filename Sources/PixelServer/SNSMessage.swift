import DeliverySignals
import Foundation

/// One Amazon SNS HTTP(S) delivery, as posted to `/webhooks/ses`: the
/// envelope fields the signature covers, and the exact text SNS signed.
public struct SNSMessage: Sendable, Equatable {
    /// The envelope's `Type`.
    public enum Kind: String, Sendable, CaseIterable {
        case notification = "Notification"
        case subscriptionConfirmation = "SubscriptionConfirmation"
        case unsubscribeConfirmation = "UnsubscribeConfirmation"
    }

    /// `SignatureVersion`: 1 is SHA1withRSA, 2 is SHA256withRSA (both PKCS#1 v1.5).
    public enum SignatureVersion: String, Sendable {
        case v1 = "1"
        case v2 = "2"
    }

    public var kind: Kind
    public var messageId: String
    public var topicArn: String
    public var message: String
    /// `Timestamp` as sent (ISO 8601, signed as text).
    public var timestamp: String
    /// Notifications only, and only when SNS sent one (it is then part of the signed text).
    public var subject: String?
    /// Confirmations only: the URL that (re)subscribes the endpoint, and its token.
    public var subscribeURL: String?
    public var token: String?
    /// As sent; `signatureVersion` is nil when it is not one SNS defines.
    public var signatureVersionText: String
    public var signature: String
    public var signingCertURL: String

    /// The known signature version, or nil (such a message is refused).
    public var signatureVersion: SignatureVersion? { SignatureVersion(rawValue: signatureVersionText) }

    /// `Timestamp` in Unix seconds, nil when it is not ISO 8601.
    public var epochTimestamp: Double? { JSONTime.rfc3339(timestamp) }

    /// What is wrong with a body that is not an SNS message.
    public enum ParseError: Error, Equatable {
        case notJSONObject
        case unknownType(String?)
        /// A field the type requires is missing or not a string.
        case missingField(String)
    }

    /// Parses the raw POST body of an SNS delivery.
    public static func parse(_ body: [UInt8]) -> Result<SNSMessage, ParseError> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return .failure(.notJSONObject)
        }
        let typeText = object["Type"] as? String
        guard let kind = typeText.flatMap(Kind.init(rawValue:)) else { return .failure(.unknownType(typeText)) }
        var missing: String?
        func field(_ name: String) -> String {
            if let value = object[name] as? String { return value }
            if missing == nil { missing = name }
            return ""
        }
        let confirmation: Bool
        switch kind {
        case .notification: confirmation = false
        case .subscriptionConfirmation, .unsubscribeConfirmation: confirmation = true
        }
        let parsed = SNSMessage(
            kind: kind, messageId: field("MessageId"), topicArn: field("TopicArn"), message: field("Message"),
            timestamp: field("Timestamp"), subject: confirmation ? nil : object["Subject"] as? String,
            subscribeURL: confirmation ? field("SubscribeURL") : nil, token: confirmation ? field("Token") : nil,
            signatureVersionText: field("SignatureVersion"), signature: field("Signature"),
            signingCertURL: field("SigningCertURL"))
        if let missing { return .failure(.missingField(missing)) }
        return .success(parsed)
    }

    /// The text SNS signed: `Name\nValue\n` for each signed field, in SNS's order —
    /// Notification: Message, MessageId, Subject (only if present), Timestamp, TopicArn, Type;
    /// confirmations: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
    public var stringToSign: String {
        let pairs: [(String, String?)]
        switch kind {
        case .notification:
            pairs = [
                ("Message", message), ("MessageId", messageId), ("Subject", subject), ("Timestamp", timestamp),
                ("TopicArn", topicArn), ("Type", kind.rawValue),
            ]
        case .subscriptionConfirmation, .unsubscribeConfirmation:
            pairs = [
                ("Message", message), ("MessageId", messageId), ("SubscribeURL", subscribeURL ?? ""),
                ("Timestamp", timestamp), ("Token", token ?? ""), ("TopicArn", topicArn), ("Type", kind.rawValue),
            ]
        }
        return pairs.compactMap { name, value in value.map { name + "\n" + $0 + "\n" } }.joined()
    }
}
