import Testing
@testable import Supervision

@Suite struct BackoffTests {
    @Test func delaysDoubleUpToTheCapWithoutJitter() {
        let backoff = Backoff()
        let delays = (1...9).map { backoff.delay(attempt: $0, random: 0).milliseconds }
        #expect(delays == [100, 200, 400, 800, 1600, 3200, 6400, 10_000, 10_000])
    }

    @Test func jitterAddsAtMostItsFractionOnTopOfTheCap() {
        let backoff = Backoff()
        #expect(backoff.delay(attempt: 1, random: 0.999_999).milliseconds == 120)
        #expect(backoff.delay(attempt: 20, random: 0.5).milliseconds == 11_000)
    }

    @Test func intensityWindowSlides() {
        var window = RestartWindow(limit: RestartIntensity(maxRestarts: 2, period: .seconds(10)))
        let accepted = [0, 5, 9, 16].map { window.record(at: .seconds($0)) }
        #expect(accepted == [true, true, false, true])
    }
}
