/// Whether `value` lies in one of the inclusive `[lo, hi]` pairs of a sorted flat table.
///
/// The tables are flat `[UInt32]` (lo, hi, lo, hi, ...) because literal arrays of
/// integers compile quickly, unlike arrays of tuples.
@inline(__always)
func rangeTable(_ table: [UInt32], contains value: UInt32) -> Bool {
    var lo = 0
    var hi = table.count / 2 - 1
    while lo <= hi {
        let mid = (lo + hi) >> 1
        if value < table[mid * 2] {
            hi = mid - 1
        } else if value > table[mid * 2 + 1] {
            lo = mid + 1
        } else {
            return true
        }
    }
    return false
}
