@destructive
Feature: Cancel a TikTok promotion
  As a creator who promoted a video
  I want to cancel the promotion in the app, the way TikTok's guide describes it
  So that TikTok stops charging me for it

  The guide: open the app logged in as the account that started the promotion, go to the Me
  section, open the three-line menu, select Creator tools, then Promotions; pick the promotion
  from the list of active ones, check its details, tap Cancel and confirm.

  Background:
    Given I open the TikTok app logged in as the account that started the promotion

  @smoke @critical
  Scenario: Cancel an active promotion the way the guide walks it
    When I go to the Me section
    Then my profile page shows the account that started the promotion
    When I tap the three horizontal lines at the top right
    And I select Creator tools
    And I tap Promotions
    Then I see the list of my active promotions
    And the promotion "Summer haul try-on" is in the list as active
    When I select the promotion "Summer haul try-on"
    Then I see its details: budget, duration and performance metrics
    And it is the promotion "Summer haul try-on" with its promotion ID
    When I tap Cancel to stop the promotion
    Then I am asked to confirm the cancellation
    When I confirm the cancellation
    Then the app shows the promotion "Summer haul try-on" as cancelled
    And the app says there will be no further charges

  @normal
  Scenario: Backing out of the confirmation keeps the promotion running
    When I go to my active promotions
    And I select the promotion "Latte art in 30 seconds"
    And I tap Cancel to stop the promotion
    Then I am asked to confirm the cancellation
    When I back out of the confirmation
    Then the promotion is still active

  @critical
  Scenario Outline: Cancel a promotion chosen by its title
    When I cancel the promotion "<title>"
    Then the app shows the promotion "<title>" as cancelled

    Examples:
      | title                   |
      | Summer haul try-on      |
      | Latte art in 30 seconds |
