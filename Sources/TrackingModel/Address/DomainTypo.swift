/// A likely typo of a common mail domain ("gmial.com" → "gmail.com"): a small
/// table of the domains most addresses use and an edit-distance check, so that
/// fixing an address can suggest the right one. Pure; a suggestion, never a change.
public enum DomainTypo {
    /// Common mail domains (as typed by people, not a provider list).
    public static let common = [
        "gmail.com", "googlemail.com", "hotmail.com", "outlook.com", "live.com", "msn.com", "yahoo.com",
        "ymail.com", "icloud.com", "me.com", "aol.com", "gmx.com", "gmx.de", "web.de", "proton.me",
        "protonmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "yahoo.fr", "comcast.net",
    ]

    /// The common domain `domain` is probably a typo of (one or two edits away,
    /// or two letters swapped), nil when it is one of them or none is that close.
    public static func suggestion(for domain: String) -> String? {
        let d = domain.lowercased()
        guard !common.contains(d), d.count >= 4 else { return nil }
        let limit = d.count <= 8 ? 1 : 2
        var best: (String, Int)?
        for c in common {
            let n = distance(d, c)
            if n <= limit, n < (best?.1 ?? Int.max) { best = (c, n) }
        }
        return best?.0
    }

    /// The suggested full address for `address` (its domain fixed), or nil.
    public static func suggestion(forAddress address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let domain = String(address[address.index(after: at)...])
        return suggestion(for: domain).map { String(address[...at]) + $0 }
    }

    /// Edit distance where a swap of two neighbouring letters counts as one edit
    /// (optimal string alignment): "gmial" is one edit from "gmail".
    public static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars)
        let y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var d = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in 1...x.count {
            for j in 1...y.count {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, x[i - 1] == y[j - 2], x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}
