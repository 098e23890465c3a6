*** Settings ***
Documentation     The cancel flow and what a Robot Framework suite calls around it, with AppiumLibrary, on the
...               virtual device directly (automation UiAutomator2) or through Appium 3 (automation TikTokSim).
...               Run by tests/clients/test_robot_appiumlibrary.py with REMOTE_URL and AUTOMATION set.
...               The session asks for waitForIdleTimeout 0, as any client of TikTok must: the feed plays a video and
...               is never idle, so at the default (10 s) every command on it waits 10 s (about a minute of this suite).
...               So nothing waits for the app to be idle, and each tap waits for its element to show (Tap When Shown).
Library           AppiumLibrary    timeout=5
Library           OperatingSystem
Test Setup        Open The App
Test Teardown     Close Application

*** Variables ***
${REMOTE_URL}     http://127.0.0.1:4724
${AUTOMATION}     UiAutomator2
${PACKAGE}        com.zhiliaoapp.musically
${PROMOTION}      Summer haul try-on

*** Keywords ***
Open The App
    Open Application    ${REMOTE_URL}    platformName=Android    appium:automationName=${AUTOMATION}
    ...    appium:appPackage=${PACKAGE}    appium:noReset=${True}    sim:world=default
    ...    appium:settings[waitForIdleTimeout]=${0}

Tap When Shown
    [Arguments]    ${locator}
    Wait Until Page Contains Element    ${locator}
    Click Element    ${locator}

Open Promotions
    Tap When Shown    accessibility_id=Me
    Tap When Shown    accessibility_id=Profile menu
    Tap When Shown    android=new UiSelector().text("Creator tools")
    Tap When Shown    accessibility_id=Promotions
    Wait Until Page Contains Element    xpath=//android.widget.TextView[@text='${PROMOTION}']

*** Test Cases ***
Cancel A Promotion
    Open Promotions
    Tap When Shown    xpath=//android.widget.TextView[@text='${PROMOTION}']
    Wait Until Page Contains Element    accessibility_id=Status
    Element Text Should Be    accessibility_id=Status    Active
    Tap When Shown    accessibility_id=Cancel
    Tap When Shown    accessibility_id=Confirm
    Wait Until Keyword Succeeds    5s    0.2s    Element Text Should Be    accessibility_id=Status    Canceled
    Capture Page Screenshot

The Phone Around The App
    ${time}=    Get Device Time
    Should Match Regexp    ${time}    ^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d$
    ${day}=    Get Device Time    YYYY-MM-DD
    Should Match Regexp    ${day}    ^\\d{4}-\\d\\d-\\d\\d$
    ${network}=    Get Network Connection Status
    Should Be Equal As Integers    ${network}    6
    Lock    1
    Open Notifications
    Press Keycode    4
    ${activity}=    Get Activity
    Should End With    ${activity}    MainActivity
    ${height}=    Get Window Height
    Should Be Equal As Integers    ${height}    2400
    ${contexts}=    Get Contexts
    Should Contain    ${contexts}    NATIVE_APP
    ${source}=    Get Source
    Should Contain    ${source}    ${PACKAGE}

Keys As Robot Sends Them
    Open Promotions
    Press Keycode    4
    Wait Until Page Contains Element    accessibility_id=Promotions
    Long Press Keycode    24
    Press Keycode    3
    Activate Application    ${PACKAGE}
    Wait Until Page Contains Element    accessibility_id=Promotions    # back where it was, as a phone resumes it

Screen Recording Of The Flow
    Start Screen Recording
    Open Promotions
    Stop Screen Recording    filename=open-promotions
    File Should Exist    ${OUTPUT DIR}${/}open-promotions.mp4
    ${size}=    Get File Size    ${OUTPUT DIR}${/}open-promotions.mp4
    Should Be True    ${size} > 1000

Adb Shell Is An Insecure Feature
    Run Keyword And Expect Error    *Potentially insecure feature 'adb_shell' has not been enabled*
    ...    Execute Adb Shell    echo    hello
