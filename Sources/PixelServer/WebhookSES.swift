import DeliverySignals
import Foundation
import Hummingbird

/// Amazon SES through SNS (`POST /webhooks/ses`).
extension WebhookHandlers {
    /// Cheap checks first (body, envelope, headers, topic), then the signature (the
    /// certificate is fetched only from an SNS host), the `Timestamp` window and the
    /// MessageId replay guard; then a Notification's SES record goes to the poller's
    /// ingestion path and a SubscriptionConfirmation is confirmed or left to the operator.
    func ses(_ request: Request) async -> WebhookOutcome {
        guard !options.sesTopicArns.isEmpty else { return .notConfigured }
        guard let body = await body(of: request) else { return .tooLarge }
        let message: SNSMessage
        switch SNSMessage.parse(body) {
        case .success(let parsed): message = parsed
        case .failure: return .malformed
        }
        guard Self.snsHeadersAgree(request, with: message) else { return .malformed }
        guard options.sesTopicArns.contains(message.topicArn) else { return .foreignTopic }
        let now = Date(timeIntervalSince1970: options.clock())
        switch await snsVerifier.verify(message, now: now) {
        case .valid: break
        case .unknownSignatureVersion, .badSignature: return .badSignature
        case .foreignCertificateURL, .badCertificate, .expiredCertificate: return .badCertificate
        case .certificateUnavailable: return .certificateUnavailable
        }
        let seconds = now.timeIntervalSince1970
        guard let signedAt = message.epochTimestamp,
            WebhookSignatures.isFresh(
                signedAt, now: seconds, window: options.replayWindow, futureSkew: options.maxFutureSkew)
        else { return .stale }
        let nonce = message.topicArn + "|" + message.messageId
        guard snsMessageIds.claim(nonce, now: seconds, signedAt: signedAt) else { return .replayed }
        let outcome: WebhookOutcome
        switch message.kind {
        case .notification: outcome = await store(SesEvents.parse(body, path: "webhook:ses"))
        case .subscriptionConfirmation: outcome = await confirmSubscription(message)
        case .unsubscribeConfirmation:
            logger.notice(
                "SNS unsubscribed this endpoint from \(message.topicArn); to subscribe again: \(message.subscribeURL ?? "")")
            outcome = .unsubscribeNoticed
        }
        switch outcome {
        case .storeError, .confirmationFailed: snsMessageIds.release(nonce)
        case .accepted, .unparsable, .malformed, .notConfigured, .unauthorized, .badSignature, .badCertificate,
            .certificateUnavailable, .foreignTopic, .subscriptionConfirmed, .subscriptionPending, .unsubscribeNoticed,
            .rateLimited, .stale, .replayed, .tooLarge:
            break
        }
        return outcome
    }

    /// GETs the SubscribeURL (same host rule as the certificate) when auto-confirm is on;
    /// else logs it for the operator.
    private func confirmSubscription(_ message: SNSMessage) async -> WebhookOutcome {
        let text = message.subscribeURL ?? ""
        guard options.sesAutoConfirm else {
            logger.notice("SNS subscription to \(message.topicArn) awaits confirmation: GET \(text)")
            return .subscriptionPending
        }
        guard let url = SNSHostRule.allowedURL(text) else {
            logger.warning("SNS subscription to \(message.topicArn): SubscribeURL is not an SNS host, not visited")
            return .confirmationFailed
        }
        do {
            _ = try await options.snsFetcher.get(url)
            logger.notice("SNS subscription to \(message.topicArn) confirmed")
            return .subscriptionConfirmed
        } catch {
            logger.warning("SNS subscription to \(message.topicArn): confirming failed (\(error)); GET \(text) by hand")
            return .confirmationFailed
        }
    }

    /// The `x-amz-sns-message-type`, `-message-id` and `-topic-arn` headers, when present,
    /// name the same as the signed body.
    static func snsHeadersAgree(_ request: Request, with message: SNSMessage) -> Bool {
        let pairs = [
            ("x-amz-sns-message-type", message.kind.rawValue), ("x-amz-sns-message-id", message.messageId),
            ("x-amz-sns-topic-arn", message.topicArn),
        ]
        return pairs.allSatisfy { name, value in header(request, name).map { $0 == value } ?? true }
    }
}
