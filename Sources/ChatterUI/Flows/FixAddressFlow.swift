import TrackingModel

// Fix the address, then resend: `e` on a failed recipient whose address is the
// problem (no email, user unknown, host unknown ...) opens a one-line input
// prefilled with the partner's address; a likely typo of a common domain is
// offered (Tab takes it); Enter checks the address as `post` does and asks the
// store to change it (flag, score and audit follow there); the Retry dialog then
// opens on the corrected address with that recipient ticked.

/// Whose address `e` is fixing, and the messages to retry once it is fixed.
public struct AddressFix: Sendable, Hashable {
    /// The partner whose address changes.
    public var partnerId: Int64
    /// Its name, for the prompt and the status line.
    public var name: String
    /// The failed tracking row the fix is for: ticked in the Retry dialog that follows.
    public var trackingId: Int64
    /// The messages whose Retry dialog opens afterwards (the dialog's, or the recipient's message).
    public var messageIds: [Int64]

    public init(partnerId: Int64, name: String, trackingId: Int64, messageIds: [Int64]) {
        self.partnerId = partnerId
        self.name = name
        self.trackingId = trackingId
        self.messageIds = messageIds
    }
}

/// `e`: opens the address input for the recipient under the cursor (in the
/// chatter, the Failed pane, or the Retry dialog), or says why it cannot.
func startFixAddress(_ state: inout AppState) -> [Effect] {
    let target: (entry: FixTarget, messageIds: [Int64])?
    switch state.overlay {
    case .retry(let dialog):
        guard dialog.items.indices.contains(dialog.cursor) else { return [] }
        let item = dialog.items[dialog.cursor]
        target = (
            FixTarget(
                name: item.name, address: item.check?.address ?? item.address, partnerId: item.partnerId,
                trackingId: item.trackingId, marker: item.marker, cause: item.cause, failed: true),
            dialog.messageIds
        )
    case nil:
        guard state.focus == .main, let entry = currentRecipient(state), let message = currentRecipientMessage(state)
        else {
            target = nil
            break
        }
        target = (
            FixTarget(
                name: entry.name, address: entry.address, partnerId: entry.partnerId, trackingId: entry.trackingId,
                marker: entry.marker, cause: entry.cause, failed: entry.isFailed),
            [message.id]
        )
    case .help, .markerDetail, .bulk:
        return []
    }
    guard let (t, messageIds) = target else {
        state.status = StatusLine("No recipient under the cursor to fix (h/l choose one)")
        return []
    }
    if let refusal = t.refusal {
        state.status = StatusLine(refusal, isError: true)
        return []
    }
    guard let partnerId = t.partnerId, let trackingId = t.trackingId else { return [] }
    let fix = AddressFix(partnerId: partnerId, name: t.name, trackingId: trackingId, messageIds: messageIds)
    state.prompt = Prompt(purpose: .fixAddress(fix), text: t.address ?? "")
    return []
}

/// What `e` needs to know of a recipient, from a message entry or a Retry row.
private struct FixTarget {
    var name: String
    var address: String?
    var partnerId: Int64?
    var trackingId: Int64?
    var marker: Marker
    var cause: FailureCause?
    var failed: Bool

    /// Why this recipient's address cannot or need not be fixed here (nil: it can).
    var refusal: String? {
        guard failed || marker == .noEmail, trackingId != nil else {
            return "\(name) did not fail: nothing to fix"
        }
        guard partnerId != nil else {
            return "\(name) is an address without a partner: post again to the right address"
        }
        if marker != .noEmail, let cause, cause.side != .address {
            return "\(name) failed for another reason (\(cause.phrase)): the address is fine"
        }
        return nil
    }
}

/// The common domain the typed address probably meant ("gmial.com" → "gmail.com"), if any.
func addressSuggestion(_ text: String) -> String? {
    guard case .success(let mailbox) = AddressParser.parseMailbox(text) else { return nil }
    return DomainTypo.suggestion(forAddress: mailbox.address)
}

/// Tab in the address input: takes the suggested address.
func acceptAddressSuggestion(_ prompt: inout Prompt) {
    guard case .fixAddress = prompt.purpose, let better = addressSuggestion(prompt.text) else { return }
    prompt.text = better
    prompt.error = nil
}

/// Enter in the address input: a broken address keeps the input open with the
/// parser's reason; a good one goes to the store.
func confirmFixAddress(_ state: inout AppState, _ prompt: Prompt, _ fix: AddressFix) -> [Effect] {
    let text = prompt.text.trimmingCharacters(in: .whitespaces)
    switch AddressParser.parseMailbox(text) {
    case .failure(let error):
        var kept = prompt
        kept.error = error.reason
        state.prompt = kept
        return []
    case .success(let mailbox):
        state.status = StatusLine("Saving \(fix.name)'s address \(mailbox.address)" + Glyphs(ascii: state.display.ascii).ellipsis)
        return [.fixAddress(fix, address: mailbox.formatted)]
    }
}

/// The store changed the address: the status says what the partner's flag and
/// score are now, and the Retry dialog opens (or refreshes) on the messages with
/// the fixed recipient ticked.
func applyAddressFixed(_ state: inout AppState, _ fix: AddressFix, _ card: PartnerCard) -> [Effect] {
    let g = Glyphs(ascii: state.display.ascii)
    let card = card.cleaned
    let score = card.emailScore.rounded() == card.emailScore ? String(Int(card.emailScore)) : String(card.emailScore)
    state.status = StatusLine(
        "\(card.name): address now \(card.email ?? "") \(g.dot) score \(score)"
            + (card.emailBounced ? " \(g.dot) flagged bounced" : "") + " \(g.dot) check and confirm the resend")
    var dialog: RetryDialog
    if case .retry(let open) = state.overlay, open.messageIds == fix.messageIds {
        dialog = open
    } else {
        dialog = retryDialog(state, messages: fix.messageIds.compactMap { knownMessages(state)[$0] })
    }
    for i in dialog.items.indices where dialog.items[i].trackingId == fix.trackingId {
        // Chosen by the fix: ticked even though its old check said skip (no address).
        dialog.items[i].ticked = true
        dialog.cursor = i
    }
    guard !dialog.items.isEmpty else { return [] }
    dialog.fixed.insert(fix.trackingId)
    dialog.loading = true
    state.overlay = .retry(dialog)
    return [.loadRetryPlans(messageIds: dialog.messageIds)]
}

/// What the address input says after the text: why Enter was refused, the
/// suggested domain (Tab takes it), or the keys.
enum AddressPromptHint {
    static func pieces(_ prompt: Prompt, _ g: Glyphs) -> [Piece] {
        if let error = prompt.error { return [Piece("  \(g.marker(.error)) \(error)", .danger)] }
        if let better = addressSuggestion(prompt.text) {
            return [Piece("  did you mean \(better)? Tab takes it", .warning)]
        }
        return [Piece("  Enter saves \(g.dot) Esc cancels", .prompt)]
    }
}
