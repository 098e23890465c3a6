"""The virtual device's iOS face: the same app, answering as Appium's XCUITest driver and WebDriverAgent do.

The app model is one (simulator.device.Device over a World: promotions, navigation, pop-ups, faults, the release
and the language). A face turns the current screen into its platform's element tree and maps taps and gestures
back to the app's actions. The Android face shows the screens dressed in the real Android app's skeleton; this
face takes the same screens as the app draws them (simulator.ui.releases, undressed) and reads each view as the
iOS element a UIKit build of the same screen would expose to XCTest (simulator.ios.tree), in points of an
iPhone 15 Pro (393 x 852). A tap at a point goes back to the device at the matching pixel, so the app does on iOS
exactly what it does on Android.

No public iOS page source of TikTok is known: every type, label and structure here is a guess, marked as such in
the release files (releases/; iOS's own words, its alerts and "Back", in common.yaml's `ios:` block, which
the pages read too) and docs/simulator.md. What is not a guess is WebDriverAgent's and the XCUITest driver's
behaviour around them, read from their sources and cited in the tests.
"""
