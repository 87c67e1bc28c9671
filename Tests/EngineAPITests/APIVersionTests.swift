import Testing
@testable import EngineAPI

@Suite struct APIVersionTests {
    @Test func versionedAndUnversionedPaths() throws {
        let (v1, p1) = try APIVersion.split(path: "/v1.41/containers/json")
        #expect(v1 == APIVersion(major: 1, minor: 41))
        #expect(p1 == "/containers/json")
        let (v2, p2) = try APIVersion.split(path: "/_ping")
        #expect(v2 == APIVersion.current)
        #expect(p2 == "/_ping")
    }

    @Test func versionsOutOfRangeAreRefusedWithDockersMessages() {
        #expect(throws: EngineErrorResponse.self) { try APIVersion.split(path: "/v1.12/version") }
        do {
            _ = try APIVersion.split(path: "/v1.99/version")
            Issue.record("accepted 1.99")
        } catch {
            #expect(error.status == .badRequest)
            #expect(error.message == "client version 1.99 is too new. Maximum supported API version is 1.51")
        }
    }
}
