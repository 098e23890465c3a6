@long-list @sim-only @destructive
Feature: A promotion further down a long list
  Sixty promotions fill more than a screen; the one to cancel is found by scrolling.

  @normal
  Scenario: The promotion is found by scrolling the list
    Given the app shows the world "many"
    And I open the TikTok app logged in as the account that started the promotion
    When I go to my active promotions
    Then the promotion "Coffee part 4" is not on the first screen of the list
    When I select the promotion "Coffee part 4"
    And I tap Cancel to stop the promotion
    And I confirm the cancellation
    Then the app shows the promotion "Coffee part 4" as cancelled
