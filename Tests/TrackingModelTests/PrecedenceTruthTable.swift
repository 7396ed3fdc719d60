import TrackingModel

/// The state-precedence truth table (README, "State precedence"): each sequence
/// of (event, time) and the state it must end in, whatever the arrival order.
enum PrecedenceTruthTable {
    struct Case {
        var events: [(EventType, Double, Bool)]  // type, timestamp, machine open
        var expected: TrackingState?
        var note: String
    }

    static func c(_ expected: TrackingState?, _ note: String, _ events: (EventType, Double)...) -> Case {
        Case(events: events.map { ($0.0, $0.1, false) }, expected: expected, note: note)
    }

    static let cases: [Case] = [
        c(.opened, "in-order life", (.sent, 1), (.delivered, 2), (.open, 3)),
        c(.opened, "late delivered does not hide a later open", (.sent, 1), (.open, 3), (.delivered, 2)),
        c(.delivered, "delivered after an earlier bounce wins", (.sent, 1), (.delivered, 5), (.hardBounce, 3)),
        c(.bounced, "late delivered does not hide a later bounce", (.sent, 1), (.hardBounce, 5), (.delivered, 3)),
        c(.delivered, "deferral then delivered", (.sent, 1), (.deferral, 2), (.delivered, 3)),
        c(.delivered, "a deferral never moves delivered back", (.sent, 1), (.deferral, 3), (.delivered, 2)),
        c(.unsub, "unsubscribe after open", (.sent, 1), (.delivered, 2), (.open, 3), (.unsub, 4)),
        c(.unsub, "an open never moves unsub back", (.unsub, 4), (.open, 5)),
        c(.delivered, "soft bounce then delivered by a retrying MTA", (.sent, 1), (.softBounce, 2), (.delivered, 3)),
        c(.spam, "spam complaint after delivery", (.sent, 1), (.delivered, 2), (.spam, 3)),
        c(.error, "SMTP error", (.error, 1)),
        c(nil, "retry resets an error", (.error, 1), (.retry, 2)),
        c(.sent, "retry then sent", (.error, 1), (.retry, 2), (.sent, 3)),
        c(nil, "retry resets a bounce", (.hardBounce, 1), (.retry, 2)),
        c(nil, "a bounce of the first attempt arriving after the retry", (.retry, 2), (.hardBounce, 1)),
        c(.opened, "same time: open ranks after delivered", (.sent, 1), (.open, 2), (.delivered, 2)),
        c(.delivered, "same time: delivered ranks after sent", (.delivered, 2), (.sent, 2)),
        c(.rejected, "same time: reject ranks after delivered", (.reject, 5), (.delivered, 5)),
        c(.softBounced, "deferrals then a soft bounce (expired)", (.sent, 1), (.deferral, 2), (.deferral, 3), (.softBounce, 4)),
        c(.opened, "a click implies opened", (.click, 3), (.delivered, 2), (.sent, 1)),
        c(.opened, "an open after a bounce means it did arrive", (.sent, 1), (.open, 2), (.hardBounce, 3), (.open, 4)),
        c(.delivered, "sent never moves delivered back", (.delivered, 1), (.sent, 2)),
        c(.deferred, "deferral after a soft bounce", (.softBounce, 1), (.deferral, 2)),
        c(.unsub, "same time: unsub ranks after spam", (.spam, 2), (.unsub, 2)),
        Case(
            events: [(.sent, 1, false), (.open, 2, true)], expected: .sent,
            note: "a machine open moves nothing"),
        Case(
            events: [(.sent, 1, false), (.open, 2, true), (.open, 30, false)], expected: .opened,
            note: "a human open after a machine open"),
    ]

    /// Every ordering of a list (Heap's algorithm).
    static func permutations<T>(_ items: [T]) -> [[T]] {
        var result: [[T]] = []
        var a = items
        func heap(_ k: Int) {
            if k <= 1 {
                result.append(a)
                return
            }
            heap(k - 1)
            for i in 0..<(k - 1) {
                a.swapAt(k % 2 == 0 ? i : 0, k - 1)
                heap(k - 1)
            }
        }
        heap(a.count)
        return result
    }
}
