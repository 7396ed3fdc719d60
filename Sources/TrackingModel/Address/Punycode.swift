/// Punycode (RFC 3492): the Bootstring encoding that IDNA uses to write a Unicode
/// domain label in ASCII (`bücher` ⇄ `bcher-kva`; the `xn--` prefix is the caller's).
///
/// Both directions return nil instead of trapping on input they cannot handle
/// (overflow, invalid digits, code points outside Unicode), because labels come
/// from typed addresses and received mail.
public enum Punycode {
    private static let base = 36
    private static let tMin = 1
    private static let tMax = 26
    private static let skew = 38
    private static let damp = 700
    private static let initialBias = 72
    private static let initialN = 0x80
    /// The RFC's `maxint`: large enough for any real label, small enough that
    /// every intermediate product fits in `Int` before the overflow checks.
    private static let maxInt = Int(Int32.max)

    /// Encodes a label (`bücher` → `bcher-kva`); nil when it would overflow.
    public static func encode(_ label: String) -> String? {
        let input = label.unicodeScalars.map { Int($0.value) }
        var output = String.UnicodeScalarView()
        for c in input where c < initialN {
            output.append(Unicode.Scalar(UInt8(c)))
        }
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output.append("-") }

        var n = initialN
        var delta = 0
        var bias = initialBias
        while handled < input.count {
            // The smallest code point not yet handled; one exists because handled < count.
            guard let m = input.filter({ $0 >= n }).min() else { return nil }
            let (step, stepOverflow) = (m - n).multipliedReportingOverflow(by: handled + 1)
            guard !stepOverflow, step <= maxInt - delta else { return nil }
            delta += step
            n = m
            for c in input {
                if c < n {
                    delta += 1
                    guard delta <= maxInt else { return nil }
                }
                if c == n {
                    var q = delta
                    var k = base
                    while true {
                        let t = threshold(k, bias)
                        if q < t { break }
                        output.append(digit(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digit(q))
                    bias = adapt(delta, handled + 1, handled == basicCount)
                    delta = 0
                    handled += 1
                }
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    /// Decodes a label (`bcher-kva` → `bücher`); nil when it is not valid Punycode.
    public static func decode(_ encoded: String) -> String? {
        let input = Array(encoded.unicodeScalars)
        // Everything before the last delimiter is copied literally and must be basic.
        let delimiter = input.lastIndex(of: "-") ?? 0
        var output: [Int] = []
        for s in input[..<delimiter] {
            guard s.value < UInt32(initialN) else { return nil }
            output.append(Int(s.value))
        }
        var position = delimiter > 0 ? delimiter + 1 : 0

        var n = initialN
        var i = 0
        var bias = initialBias
        while position < input.count {
            let oldI = i
            var w = 1
            var k = base
            while true {
                guard position < input.count, let d = digitValue(input[position]) else { return nil }
                position += 1
                let (product, productOverflow) = d.multipliedReportingOverflow(by: w)
                guard !productOverflow, product <= maxInt - i else { return nil }
                i += product
                let t = threshold(k, bias)
                if d < t { break }
                let (nextW, wOverflow) = w.multipliedReportingOverflow(by: base - t)
                guard !wOverflow, nextW <= maxInt else { return nil }
                w = nextW
                k += base
            }
            let count = output.count + 1
            bias = adapt(i - oldI, count, oldI == 0)
            guard i / count <= maxInt - n else { return nil }
            n += i / count
            i %= count
            // Basic code points must not be encoded; the result must be a Unicode scalar.
            guard n >= initialN, Unicode.Scalar(UInt32(clamping: n)) != nil else { return nil }
            output.insert(n, at: i)
            i += 1
        }
        var result = String.UnicodeScalarView()
        for c in output {
            guard let scalar = Unicode.Scalar(UInt32(clamping: c)) else { return nil }
            result.append(scalar)
        }
        return String(result)
    }

    private static func threshold(_ k: Int, _ bias: Int) -> Int {
        if k <= bias { return tMin }
        if k >= bias + tMax { return tMax }
        return k - bias
    }

    private static func adapt(_ delta: Int, _ numPoints: Int, _ firstTime: Bool) -> Int {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    /// 0–25 → `a`–`z`, 26–35 → `0`–`9`.
    private static func digit(_ d: Int) -> Unicode.Scalar {
        let value = d < 26 ? 0x61 + d : 0x30 + d - 26
        return Unicode.Scalar(UInt8(value))
    }

    private static func digitValue(_ s: Unicode.Scalar) -> Int? {
        switch s.value {
        case 0x30...0x39: return Int(s.value) - 0x30 + 26
        case 0x41...0x5A: return Int(s.value) - 0x41
        case 0x61...0x7A: return Int(s.value) - 0x61
        default: return nil
        }
    }
}
