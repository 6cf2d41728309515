# The personal-data notice and what follows from it (en). Arguments arrive HTML-escaped.

## Step 1: consent

step-consent =
    🔒 <b>What is kept</b>

    <b>With consent:</b> Telegram ID (not your phone number), language, first and last name, @username (so your teacher doesn't confuse you with a namesake), school, class, the guide's steps with dates, requests and decisions.
    <b>Why:</b> your teacher approves your request, and you go on from the same place.
    <b>Who processes it:</b> { $operator ->
        [none] the educational organisation (school) you are joining.
       *[other] { $operator }.
    }
    <b>How long:</b> until { $until } (the end of the school year plus { $retention_days } days), then anonymised.
    <b>Without consent</b>: only your ID, language and step; no request goes to your teacher.
    <b>To delete:</b> /forget, at any time.
consent-declined =
    OK, no personal data is saved: the bot only remembers your step so you can continue from it. All the instructions are available; please tell your teacher about your class request yourself.

