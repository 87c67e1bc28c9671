import Testing
@testable import Registry
@Test func placeholder() {}
