*** Settings ***
Documentation     The cancel as a Robot Framework AppiumLibrary user writes it: for each step, Wait Until Page
...               Contains Element, then Click Element; then Get Text of the status. No extra waits, no sleeps.
...               bench/flow_bench.py --robot runs it beside the harness (variables: URL, WORLD, FAULTS, TITLE,
...               STATS_FILE, TRANSITIONS); the device's command count is written to STATS_FILE before the session closes.
...               Like any client of TikTok it opens the session with waitForIdleTimeout 0: the feed plays a video and
...               is never idle, so at the default (10 s) every command on it would wait 10 s.
Library           AppiumLibrary
Library           OperatingSystem

*** Variables ***
${URL}            http://127.0.0.1:4723
${WORLD}          default
${FAULTS}         {}
${TITLE}          Summer haul try-on
${STATS_FILE}     ${EMPTY}
${TRANSITIONS}    false
# The list by its class: the promotions screen's first scrollable view is a strip of filters that scrolls sideways.
${LIST}           new UiSelector().scrollable(true).classNameMatches(".*(RecyclerView|ListView|WebView)")
${ROW}            new UiScrollable(${LIST}).scrollIntoView(new UiSelector().text("${TITLE}"))

*** Test Cases ***
Cancel A Promotion By Its Title
    ${faults}=    Evaluate    json.loads($FAULTS)    modules=json
    ${transitions}=    Evaluate    $TRANSITIONS == 'true'
    Open Application    ${URL}    platformName=Android    appium:automationName=UiAutomator2
    ...    appium:appPackage=com.zhiliaoapp.musically    sim:world=${WORLD}    sim:faults=${faults}
    ...    sim:transitions=${transitions}    appium:settings[waitForIdleTimeout]=${0}
    Tap When Shown    accessibility_id=Me
    Tap When Shown    accessibility_id=Profile menu
    Tap When Shown    accessibility_id=Creator tools
    Tap When Shown    accessibility_id=Promotions
    Tap When Shown    android=${ROW}
    Wait Until Page Contains Element    accessibility_id=Video
    Element Text Should Be    accessibility_id=Video    ${TITLE}
    Tap When Shown    accessibility_id=Cancel
    Tap When Shown    accessibility_id=Confirm
    Wait Until Page Contains Element    accessibility_id=Status
    ${status}=    Get Text    accessibility_id=Status
    Should Contain Any    ${status}    Canceled    Stopped
    IF    $STATS_FILE
        ${stats}=    Execute Script    mobile: simStats
        ${text}=    Evaluate    json.dumps($stats)    modules=json
        Create File    ${STATS_FILE}    ${text}
    END
    [Teardown]    Close Application

*** Keywords ***
Tap When Shown
    [Arguments]    ${locator}
    Wait Until Page Contains Element    ${locator}
    Click Element    ${locator}
