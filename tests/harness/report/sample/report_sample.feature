@sim-only
Feature: Report sample: one scenario per failure class
  A run made to show the report, not to test the app: make report-sample runs it and
  saves pictures of the report. It fails on purpose, so neither pytest features nor the
  test suite collects it.

  Each failing scenario stands for one failure class of the report's categories;
  one scenario passes on a fallback locator, and an outline passes with two rows.

  Scenario: Passes on fallback locators on a new build that kept the business words
    Given the app shows the world "new-release"
    And I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Summer haul try-on"
    Then the app shows the promotion "Summer haul try-on" as cancelled

  Scenario Outline: Cancels the promotion chosen by its title
    Given I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "<title>"
    Then the app shows the promotion "<title>" as cancelled

    Examples:
      | title                   |
      | Summer haul try-on      |
      | Latte art in 30 seconds |

  Scenario: The app does not show what the guide says after a cancel
    Given I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Summer haul try-on"
    Then the promotion is still active

  Scenario: A title no promotion has
    Given I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Winter coats"
    Then the app shows the promotion "Winter coats" as cancelled

  Scenario: A title two promotions share
    Given the app shows the world "duplicate-titles"
    And I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Morning routine"
    Then the app shows the promotion "Morning routine" as cancelled

  Scenario: The session dies on the way
    Given every session dies after 3 commands
    And I open the TikTok app logged in as the account that started the promotion
    When I cancel the promotion "Summer haul try-on"
    Then the app shows the promotion "Summer haul try-on" as cancelled

  Scenario: The screen lacks a button the page expects
    Given I open the TikTok app logged in as the account that started the promotion
    When I look for a "Boost again" button the app does not have

  Scenario: A step written for another screen
    Given I open the TikTok app logged in as the account that started the promotion
    When I back out of the confirmation

  Scenario: A step hits a bug in the harness
    Given I open the TikTok app logged in as the account that started the promotion
    When a step hits a bug in the harness
