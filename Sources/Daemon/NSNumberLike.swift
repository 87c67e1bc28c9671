import Foundation

/// Numbers and booleans as `JSONSerialization` returns them (both are `NSNumber` on Linux).
protocol NSNumberLike {
    var isBool: Bool { get }
    var boolValue: Bool { get }
    var exactInt: Int? { get }
}

extension NSNumber: NSNumberLike {
    /// JSON booleans arrive as NSNumbers of Objective-C type `c` (char); numbers never do.
    var isBool: Bool { String(cString: objCType) == "c" }

    var exactInt: Int? {
        let value = doubleValue
        guard value.rounded() == value, abs(value) < 1e15 else { return nil }
        return Int(value)
    }
}
