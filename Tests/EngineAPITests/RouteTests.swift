import Testing
@testable import EngineAPI

@Suite struct RouteTests {
    func match(_ pattern: String, _ path: String) -> [String: String]? {
        Route(.GET, path: pattern) { _ in HTTPResponse() }.match(Route.segments(of: path))
    }

    @Test func fixedSegmentsAndParameters() {
        #expect(match("/containers/{id}/json", "/containers/abc/json") == ["id": "abc"])
        #expect(match("/containers/{id}/json", "/containers/abc/logs") == nil)
        #expect(match("/containers/{id}/json", "/containers/a/b/json") == nil)
    }

    @Test func greedyParametersTakeSlashes() {
        #expect(match("/images/{name*}/json", "/images/busybox/json") == ["name": "busybox"])
        #expect(match("/images/{name*}/json", "/images/127.0.0.1:5000/team/app:1/json") == ["name": "127.0.0.1:5000/team/app:1"])
        #expect(match("/images/{name*}", "/images/a/b") == ["name": "a/b"])
        #expect(match("/images/{name*}/json", "/images/json") == nil)
    }

    @Test func aTrailingSlashOrAnEmptyParameterMatchesNothing() {
        #expect(match("/containers/create", "/containers/create/") == nil)
        #expect(match("/containers/{id}", "/containers/") == nil)
        #expect(match("/images/{name*}", "/images/") == nil)
        #expect(match("/images/{name*}", "/images/a/") == ["name": "a/"])
    }
}
