# /broadcast: admins sending a message to many people (English). Arguments arrive HTML-escaped.

## Who may

bc-only-admins = Broadcasts are for school admins only.
bc-forbidden = This audience is not yours to reach (or it is gone). Start again: /broadcast

## Choosing the audience

bc-choose-audience = <b>Broadcast.</b> Who should get the message?
bc-btn-everyone = 👥 Everyone who uses the bot
bc-btn-my-school = 🏫 My school: { $school }
bc-btn-school = 🏫 A school…
bc-btn-class = 🎒 A class…
bc-btn-teachers = 🧑‍🏫 Teachers
bc-btn-stuck = ⏸ Students stuck at a step…
bc-btn-unfinished = ⏳ Students who have not finished
bc-btn-back = ⬅️ Back
bc-pick-school = Which school should get the message?
bc-pick-class-school = Whose classes should I list?
bc-pick-class = Which class of «{ $school }» should get the message?
bc-pick-step = Students who stopped at which step?
bc-no-schools = There are no schools yet.
bc-no-classes = This school has no classes yet.

## Audiences

bc-audience-everyone = everyone who uses the bot
bc-audience-teachers = all teachers
bc-audience-school = students of «{ $school }»
bc-audience-class = students of class { $class } («{ $school }»)
bc-audience-stuck = students who stopped at «{ $step }»
bc-audience-unfinished = students who have not finished
bc-empty = Nobody to send to: { $audience }. Choose another audience: /broadcast

## The message and the preview

bc-ask-message =
    To: { $audience } — { $count } { $count ->
        [one] recipient
       *[other] recipients
    }.
    Send me the message to broadcast: text, a photo, a document — it will be sent exactly as it is. To cancel: /cancel.
bc-hint-command = I am waiting for the message to broadcast. Send it, or /cancel to cancel the broadcast.
bc-cannot-copy = This message can't be forwarded. Send another one or /cancel.
bc-preview =
    ☝️ This is what the recipients will see.
    To: { $audience } — { $count } { $count ->
        [one] recipient
       *[other] recipients
    }.
    Send it? You may also send another message instead.
bc-btn-confirm = ✅ Send
bc-btn-cancel = ✖️ Cancel
bc-cancelled = Broadcast cancelled, nothing was sent.
bc-stale = This broadcast was already sent or cancelled. A new one: /broadcast

## Progress and the report

bc-progress =
    📤 <b>Broadcasting</b> ({ $audience })
    Delivered: { $sent }
    Failed: { $failed }
    Blocked the bot: { $blocked }
    Total: { $total }
    Rate: { $rate } msg/s, about { $eta } left
bc-eta-unknown = —
bc-btn-stop = ⛔ Stop the broadcast
bc-stop-done = The broadcast is stopped.
bc-stop-finished = The broadcast has already ended.
bc-report-done =
    ✅ <b>Broadcast finished</b> ({ $audience })
    Delivered: { $sent }
    Failed: { $failed }
    Blocked the bot: { $blocked }
    Not sent: { $unsent }
    Total: { $total }
bc-report-cancelled =
    ⛔ <b>Broadcast stopped</b> ({ $audience })
    Delivered: { $sent }
    Failed: { $failed }
    Blocked the bot: { $blocked }
    Not sent: { $unsent }
    Total: { $total }
