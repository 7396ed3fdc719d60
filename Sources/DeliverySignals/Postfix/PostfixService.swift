/// A Postfix daemon or command, by its master.cf service name: the ones the tracking reads,
/// and `other` for the rest (`master`, `anvil`, `postfix-script`, a renamed service...).
public enum PostfixService: UInt8, Sendable, Hashable {
    case smtp, lmtp, local, virtual, pipe, error, discard, retry, qmgr, cleanup, bounce, pickup, smtpd, postsuper, other
}
