@testable import EngineAPI

/// The input as the `filters` query parameter of a list route (`FilterArguments`) and of
/// `GET /events` (`EventFilter`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilters(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeRawBufferPointer(start: start, count: count), as: UTF8.self)
    _ = try? FilterArguments.parse(text)
    _ = try? EventFilter(json: text)
    return 0
}
