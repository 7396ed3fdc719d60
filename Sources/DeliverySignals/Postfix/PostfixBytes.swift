#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A borrowed view of one line's bytes with the few scanning primitives the Postfix parser needs.
///
/// Plain pointer + count instead of `Slice` so the hot loops stay free of bounds
/// and reference-count traffic; every access is checked against `count` by hand.
package struct PostfixBytes {
    package let base: UnsafePointer<UInt8>
    package let count: Int

    package init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    @inline(__always)
    subscript(_ i: Int) -> UInt8 { base[i] }

    /// Index of the first `byte` in `from..<end`, or nil.
    @inline(__always)
    func find(_ byte: UInt8, from: Int, end: Int? = nil) -> Int? {
        let stop = end ?? count
        guard from < stop else { return nil }
        // Fields are short: a plain loop beats a libc call for the first bytes.
        let near = min(stop, from + 24)
        var i = from
        while i < near {
            if base[i] == byte { return i }
            i += 1
        }
        guard i < stop, let hit = memchr(base + i, Int32(byte), stop - i) else { return nil }
        return UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// Index of the last `byte` in `from..<end`, or nil.
    @inline(__always)
    func findLast(_ byte: UInt8, from: Int, end: Int) -> Int? {
        var i = end - 1
        while i >= from {
            if base[i] == byte { return i }
            i -= 1
        }
        return nil
    }

    /// Whether `literal` starts at `at`.
    @inline(__always)
    func has(_ literal: StaticString, at: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard at >= 0, at + length <= count else { return false }
        let bytes = literal.utf8Start
        // Literals are short; most comparisons fail on the first byte.
        for i in 0..<length where base[at + i] != bytes[i] { return false }
        return true
    }

    /// First occurrence of `literal` in `from..<end`, or nil.
    func find(_ literal: StaticString, from: Int, end: Int? = nil) -> Int? {
        let stop = end ?? count
        let length = literal.utf8CodeUnitCount
        guard length > 0 else { return from }
        let first = literal.utf8Start[0]
        var i = from
        while i + length <= stop, let hit = find(first, from: i, end: stop - length + 1) {
            if memcmp(base + hit, literal.utf8Start, length) == 0 { return hit }
            i = hit + 1
        }
        return nil
    }

    /// Last occurrence of `literal` in `from..<end`, or nil.
    func findLast(_ literal: StaticString, from: Int, end: Int) -> Int? {
        let length = literal.utf8CodeUnitCount
        var i = end - length
        while i >= from {
            if memcmp(base + i, literal.utf8Start, length) == 0 { return i }
            i -= 1
        }
        return nil
    }

    /// The bytes `from..<to` as a String (invalid UTF-8 is repaired, never fatal).
    @inline(__always)
    package func string(_ from: Int, _ to: Int) -> String {
        guard from < to else { return "" }
        return String(decoding: UnsafeBufferPointer(start: base + from, count: to - from), as: UTF8.self)
    }

    /// The bytes of `span` as a String ("" for an absent field).
    @inline(__always)
    func text(_ span: PostfixSpan) -> String {
        span.isPresent ? string(Int(span.start), Int(span.end)) : ""
    }

    /// The bytes of `span` as a String, nil for an absent field.
    @inline(__always)
    func optionalText(_ span: PostfixSpan) -> String? {
        span.isPresent ? string(Int(span.start), Int(span.end)) : nil
    }

    /// Parses unsigned decimal digits in `from..<to`; nil when empty, non-digit or too long.
    @inline(__always)
    func integer(_ from: Int, _ to: Int) -> Int? {
        guard from < to, to - from <= 18 else { return nil }
        var value = 0
        for i in from..<to {
            let digit = base[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }
}
