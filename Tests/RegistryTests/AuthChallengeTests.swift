import Testing
@testable import Registry

struct AuthChallengeTests {
    @Test func parsesBearerWithQuotedCommas() {
        let challenges = AuthChallenge.parse(
            #"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:samalba/my-app:pull,push""#)
        #expect(challenges.count == 1)
        #expect(challenges.first?.scheme == .bearer)
        #expect(challenges.first?.realm == "https://auth.docker.io/token")
        #expect(challenges.first?.service == "registry.docker.io")
        #expect(challenges.first?.scopes == ["repository:samalba/my-app:pull,push"])
    }

    @Test func parsesBasicAndSeveralChallengesInOneHeader() {
        let challenges = AuthChallenge.parse(#"Basic realm="test", bearer realm=https://t.example/token, service = "s\"x" "#)
        #expect(challenges.map(\.scheme) == [.basic, .bearer])
        #expect(challenges.first?.realm == "test")
        #expect(challenges.last?.realm == "https://t.example/token")
        #expect(challenges.last?.service == #"s"x"#)
    }

    @Test func prefersBearerWithRealm() {
        let preferred = AuthChallenge.preferred(from: [#"Basic realm="r""#, #"Bearer realm="https://a/token""#])
        #expect(preferred?.scheme == .bearer)
        #expect(AuthChallenge.preferred(from: ["Negotiate", #"Basic realm="r""#])?.scheme == .basic)
        #expect(AuthChallenge.preferred(from: ["", "Negotiate abc=="]) == nil)
    }

    @Test func splitsSeveralScopes() {
        let challenge = AuthChallenge.parse(#"Bearer realm="r",scope="repository:a:pull repository:b:pull,push""#).first
        #expect(challenge?.scopes == ["repository:a:pull", "repository:b:pull,push"])
    }
}
