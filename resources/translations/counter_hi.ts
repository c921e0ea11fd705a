<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="hi_IN">
    <context>
        <name>AllocationModel</name>
        <message>
            <location filename="../../ui/counter/models.py" line="687" />
            <source>Year</source>
            <translation>वर्ष</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="687" />
            <source>Head</source>
            <translation>मद</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="687" />
            <source>Amount</source>
            <translation>राशि</translation>
        </message>
    </context>
    <context>
        <name>ConfirmationOverlay</name>
        <message>
            <location filename="../../ui/counter/confirm.py" line="141" />
            <source>Confirm the collection</source>
            <translation>वसूली की पुष्टि करें</translation>
        </message>
        <message>
            <location filename="../../ui/counter/confirm.py" line="142" />
            <source>Save receipt (Enter)</source>
            <translation>रसीद सहेजें (Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/confirm.py" line="143" />
            <source>Enter: save the receipt</source>
            <translation>Enter: रसीद सहेजें</translation>
        </message>
        <message>
            <location filename="../../ui/counter/confirm.py" line="144" />
            <source>Back (Esc)</source>
            <translation>वापस (Esc)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/confirm.py" line="145" />
            <source>Esc: back to the payment, nothing is saved</source>
            <translation>Esc: भुगतान पर वापस, कुछ भी सहेजा नहीं जाएगा</translation>
        </message>
        <message>
            <location filename="../../ui/counter/confirm.py" line="187" />
            <source>Saving the receipt…</source>
            <translation>रसीद सहेजी जा रही है…</translation>
        </message>
    </context>
    <context>
        <name>CounterLabels</name>
        <message>
            <location filename="../../ui/counter/labels.py" line="21" />
            <source>Property tax</source>
            <translation>संपत्ति कर</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="22" />
            <source>Consolidated tax</source>
            <translation>समेकित कर</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="23" />
            <source>Education cess</source>
            <translation>शिक्षा उपकर</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="24" />
            <source>Surcharge</source>
            <translation>अधिभार</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="25" />
            <source>Penalty</source>
            <translation>शास्ति</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="26" />
            <source>Rebate</source>
            <translation>छूट</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="27" />
            <source>Round off</source>
            <translation>पूर्णांकन</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="28" />
            <source>Advance</source>
            <translation>अग्रिम</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="29" />
            <source>Water charge</source>
            <translation>जल प्रभार</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="31" />
            <source>Regularisation fee</source>
            <translation>नियमितीकरण शुल्क</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="32" />
            <source>Reconnection fee</source>
            <translation>पुनर्संयोजन शुल्क</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="33" />
            <source>Trade licence fee</source>
            <translation>व्यापार अनुज्ञप्ति शुल्क</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="30" />
            <source>Water connection fee</source>
            <translation>नल कनेक्शन शुल्क</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="34" />
            <source>User charge (sanitation)</source>
            <translation>यूजर चार्ज (स्वच्छता शुल्क)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="42" />
            <source>Property</source>
            <translation>संपत्ति</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="43" />
            <source>Water</source>
            <translation>जल</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="44" />
            <source>Licence</source>
            <translation>अनुज्ञप्ति</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="45" />
            <source>User charge</source>
            <translation>यूजर चार्ज</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="53" />
            <source>Active</source>
            <translation>सक्रिय</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="54" />
            <source>Disconnected</source>
            <translation>विच्छेदित</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="55" />
            <source>Applied</source>
            <translation>आवेदित</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="56" />
            <source>Document check</source>
            <translation>दस्तावेज़ जाँच</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="57" />
            <source>Inspection</source>
            <translation>निरीक्षण</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="58" />
            <source>Fee due</source>
            <translation>शुल्क देय</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="59" />
            <source>Issued</source>
            <translation>जारी</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="60" />
            <source>Expired</source>
            <translation>समाप्त</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="61" />
            <source>Rejected</source>
            <translation>अस्वीकृत</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="62" />
            <source>Closed</source>
            <translation>बंद</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="76" />
            <source>Jan</source>
            <translation>जनवरी</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="77" />
            <source>Feb</source>
            <translation>फ़रवरी</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="78" />
            <source>Mar</source>
            <translation>मार्च</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="79" />
            <source>Apr</source>
            <translation>अप्रैल</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="80" />
            <source>May</source>
            <translation>मई</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="81" />
            <source>Jun</source>
            <translation>जून</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="82" />
            <source>Jul</source>
            <translation>जुलाई</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="83" />
            <source>Aug</source>
            <translation>अगस्त</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="84" />
            <source>Sep</source>
            <translation>सितंबर</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="85" />
            <source>Oct</source>
            <translation>अक्टूबर</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="86" />
            <source>Nov</source>
            <translation>नवंबर</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="87" />
            <source>Dec</source>
            <translation>दिसंबर</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="106" />
            <source>Q%1 %2 (%3)</source>
            <translation>तिमाही %1, %2 (%3)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="117" />
            <source>FY %1</source>
            <translation>वित्त वर्ष %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="123" />
            <source>Cash</source>
            <translation>नकद</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="124" />
            <source>Cheque</source>
            <translation>चेक</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="125" />
            <source>DD</source>
            <translation>डीडी</translation>
        </message>
        <message>
            <location filename="../../ui/counter/labels.py" line="126" />
            <source>UPI</source>
            <translation>यूपीआई</translation>
        </message>
    </context>
    <context>
        <name>CounterScreen</name>
        <message>
            <location filename="../../ui/counter/screen.py" line="310" />
            <source>&amp;Search (F2)</source>
            <translation>खोजें (F2)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="312" />
            <source>Property ID, owner, mobile, consumer no., licence no. or payer ID</source>
            <translation>संपत्ति क्र., स्वामी, मोबाइल, उपभोक्ता क्र., अनुज्ञप्ति क्र. या भुगतानकर्ता आईडी</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="317" />
            <source>F2: search. ↑/↓ move through the results, Enter selects, Esc clears.</source>
            <translation>F2: खोजें। ↑/↓ से परिणामों में चलें, Enter से चुनें, Esc से साफ़ करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="363" />
            <source>The counter session of %1 is still open: close it at Day-end before collecting today.</source>
            <translation>%1 का काउंटर सत्र अभी भी खुला है: आज की वसूली से पहले दिवस समापन में उसे बंद करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="457" />
            <source>Nothing found</source>
            <translation>कुछ नहीं मिला</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="459" />
            <source>First %1 found; type more</source>
            <translation>पहले %1 मिले; और टाइप करें</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="461" />
            <source>%1 found</source>
            <translation>%1 मिले</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="594" />
            <source>Total of the ticked lines: %1</source>
            <translation>चुनी गई पंक्तियों का योग: %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="655" />
            <source>Type in the search field, move with ↑/↓ and press Enter to select a property.</source>
            <translation>खोज में टाइप करें, ↑/↓ से चलें और संपत्ति चुनने के लिए Enter दबाएँ।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="668" />
            <source>(+%1 more)</source>
            <translation>(+%1 और)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="674" />
            <location filename="../../ui/counter/screen.py" line="700" />
            <source>Ward %1</source>
            <translation>वार्ड %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="675" />
            <source>Zone %1</source>
            <translation>ज़ोन %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="686" />
            <source>Pay the whole current year by %1: save %2</source>
            <translation>%1 तक पूरे चालू वर्ष का भुगतान करें: %2 की बचत</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="714" />
            <source>Last payment: %1 on %2, receipt %3</source>
            <translation>पिछला भुगतान: %1, दिनांक %2, रसीद %3</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="796" />
            <location filename="../../ui/counter/screen.py" line="809" />
            <source>Select a property first.</source>
            <translation>पहले संपत्ति चुनें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="857" />
            <source>%1 %2 · Ward %3</source>
            <translation>%1 %2 · वार्ड %3</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="900" />
            <source>%1 · tendered %2</source>
            <translation>%1 · प्राप्त %2</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="903" />
            <location filename="../../ui/counter/screen.py" line="1003" />
            <source>Return change: %1</source>
            <translation>लौटाने की राशि: %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="922" />
            <source>Received from: %1</source>
            <translation>भुगतानकर्ता: %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="822" />
            <location filename="../../ui/counter/screen.py" line="853" />
            <source>Property %1 · Ward %2</source>
            <translation>संपत्ति %1 · वार्ड %2</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="315" />
            <source>F4: the bill's lines. Space ticks or unticks a line, F8 ticks all or none, Enter goes back.</source>
            <translation>F4: बिल की पंक्तियाँ। Space से पंक्ति चुनें या हटाएँ, F8 से सभी या कोई नहीं, Enter से वापस।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="998" />
            <source>Receipt %1 saved: %2</source>
            <translation>रसीद %1 सहेजी गई: %2</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="1004" />
            <source>Next citizen: type in the search field.</source>
            <translation>अगला नागरिक: खोज में टाइप करें।</translation>
        </message>
    </context>
    <context>
        <name>CounterShortcuts</name>
        <message>
            <location filename="../../ui/counter/screen.py" line="57" />
            <source>Search: property ID, old ID, owner name or mobile; water consumer no., licence no., user-charge ID</source>
            <extracomment>The counter's keys, for the F1 help overlay and the tooltips. Texts are translation sources in the context SHORTCUTS_CONTEXT (QCoreApplication.translate(SHORTCUTS_CONTEXT, text)).</extracomment>
            <translation>खोज: संपत्ति क्र., पुराना क्र., स्वामी का नाम या मोबाइल; जल उपभोक्ता क्र., अनुज्ञप्ति क्र., यूजर चार्ज भुगतानकर्ता आईडी</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="62" />
            <source>Move through the search results</source>
            <translation>खोज परिणामों में ऊपर-नीचे चलें</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="63" />
            <source>Select the property / save the receipt in the confirmation</source>
            <translation>संपत्ति चुनें / पुष्टि में रसीद सहेजें</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="64" />
            <source>Go to the bill's lines (↑/↓ move, Space ticks, Enter back)</source>
            <translation>बिल की पंक्तियों पर जाएँ (↑/↓ चलें, Space से चुनें, Enter से वापस)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="65" />
            <source>Tick or untick the line (pay it now or not)</source>
            <translation>पंक्ति चुनें या हटाएँ (अभी भुगतान करें या नहीं)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="66" />
            <source>Tick all lines / none</source>
            <translation>सभी पंक्तियाँ चुनें / कोई नहीं</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="67" />
            <source>Cash (type the tendered amount; change is shown)</source>
            <translation>नकद (प्राप्त राशि टाइप करें; लौटाने की राशि दिखेगी)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="68" />
            <source>Cheque or demand draft</source>
            <translation>चेक या डिमांड ड्राफ्ट</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="69" />
            <source>UPI</source>
            <translation>यूपीआई</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="70" />
            <source>Collect: show the confirmation</source>
            <translation>वसूली: पुष्टि दिखाएँ</translation>
        </message>
        <message>
            <location filename="../../ui/counter/screen.py" line="71" />
            <source>Back one step (nothing is saved)</source>
            <translation>एक कदम पीछे (कुछ भी सहेजा नहीं जाता)</translation>
        </message>
    </context>
    <context>
        <name>DayEndScreen</name>
        <message>
            <location filename="../../ui/dayend/screen.py" line="248" />
            <source>Day-end: count the cash and close the counter</source>
            <translation>दिवस समापन: नकद गिनें और काउंटर बंद करें</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="249" />
            <source>Cash in the drawer</source>
            <translation>दराज़ में नकद</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="250" />
            <source>Notes</source>
            <translation>नोट</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="251" />
            <source>Coins</source>
            <translation>सिक्के</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="253" />
            <source>₹%1 notes × </source>
            <translation>₹%1 के नोट × </translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="253" />
            <source>₹%1 coins × </source>
            <translation>₹%1 के सिक्के × </translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="255" />
            <source>Notes total</source>
            <translation>नोटों का योग</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="256" />
            <source>Coins total</source>
            <translation>सिक्कों का योग</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="257" />
            <source>Cash counted</source>
            <translation>गिना गया नकद</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="258" />
            <source>Expected and counted, by mode</source>
            <translation>माध्यमवार अपेक्षित और गिनी गई राशि</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="261" />
            <source>Mode</source>
            <translation>माध्यम</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="261" />
            <source>Expected</source>
            <translation>अपेक्षित</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="261" />
            <source>Counted</source>
            <translation>गिना गया</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="261" />
            <source>Difference</source>
            <translation>अंतर</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="265" />
            <source>Cash (with opening cash)</source>
            <translation>नकद (आरंभिक नकद सहित)</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="266" />
            <source>Cheque/DD</source>
            <translation>चेक/डीडी</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="268" />
            <source>&amp;Explanation of any difference</source>
            <translation>अंतर का स्पष्टीकरण</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="269" />
            <source>Required when counted and expected differ</source>
            <translation>गिनी गई और अपेक्षित राशि में अंतर हो तो आवश्यक</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="270" />
            <source>Close the counter session (Ctrl+Enter)</source>
            <translation>काउंटर सत्र बंद करें (Ctrl+Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="395" />
            <source>Counted and expected differ: explain below before closing.</source>
            <translation>गिनी गई और अपेक्षित राशि में अंतर है: बंद करने से पहले नीचे कारण लिखें।</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="398" />
            <source>Counted equals expected.</source>
            <translation>गिनी गई राशि अपेक्षित के बराबर है।</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="414" />
            <source>Daily Collection Summary</source>
            <translation>दैनिक वसूली सारांश</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="415" />
            <source>Date</source>
            <translation>दिनांक</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="415" />
            <source>Session</source>
            <translation>सत्र</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="415" />
            <source>Receipts</source>
            <translation>रसीदें</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="416" />
            <source>cancelled</source>
            <translation>निरस्त</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="416" />
            <source>Numbers</source>
            <translation>क्रमांक</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="417" />
            <source>By head</source>
            <translation>मदवार</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="417" />
            <source>By mode</source>
            <translation>माध्यमवार</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="418" />
            <source>Total collected</source>
            <translation>कुल वसूली</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="418" />
            <source>Opening cash</source>
            <translation>आरंभिक नकद</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="419" />
            <source>Cash expected in the drawer</source>
            <translation>दराज़ में अपेक्षित नकद</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="420" />
            <source>Cancelled receipts</source>
            <translation>निरस्त रसीदें</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="421" />
            <source>Closed</source>
            <translation>बंद</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="421" />
            <source>Open</source>
            <translation>खुला</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="462" />
            <source>A counted amount is not a number.</source>
            <translation>गिनी गई कोई राशि संख्या नहीं है।</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="467" />
            <source>Counted differs from expected: write the explanation before closing.</source>
            <translation>गिनी गई राशि अपेक्षित से भिन्न है: बंद करने से पहले स्पष्टीकरण लिखें।</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="491" />
            <source>Counter session closed. Cash counted %1. A backup is being made.</source>
            <translation>काउंटर सत्र बंद हुआ। गिना गया नकद %1। बैकअप बनाया जा रहा है।</translation>
        </message>
    </context>
    <context>
        <name>DayEndShortcuts</name>
        <message>
            <location filename="../../ui/dayend/screen.py" line="38" />
            <source>Next count</source>
            <translation>अगली गिनती</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="39" />
            <source>Close the counter session</source>
            <translation>काउंटर सत्र बंद करें</translation>
        </message>
        <message>
            <location filename="../../ui/dayend/screen.py" line="40" />
            <source>Read the figures again</source>
            <translation>आँकड़े फिर से पढ़ें</translation>
        </message>
    </context>
    <context>
        <name>DuesModel</name>
        <message>
            <location filename="../../ui/counter/models.py" line="264" />
            <source>Year</source>
            <extracomment>The key of the property section's own tick (its lines are taken whole, under the property's rules).</extracomment>
            <translation>वर्ष</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="264" />
            <source>Head</source>
            <translation>मद</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="264" />
            <source>Demand</source>
            <translation>मांग</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="264" />
            <source>Paid</source>
            <translation>जमा</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="264" />
            <source>Due</source>
            <translation>देय</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="406" />
            <source>Arrears (earlier years)</source>
            <translation>बकाया (पिछले वर्ष)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="420" />
            <source>Arrears total</source>
            <translation>बकाया योग</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="428" />
            <source>Current year %1</source>
            <translation>चालू वर्ष %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="449" />
            <source>Current year total</source>
            <translation>चालू वर्ष योग</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="455" />
            <source>Rebate %1% if the whole current year is paid by %2</source>
            <translation>%2 तक पूरे चालू वर्ष का भुगतान करने पर %1% छूट</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="462" />
            <source>Advance credit held</source>
            <translation>जमा अग्रिम राशि</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="465" />
            <source>Round off</source>
            <translation>पूर्णांकन</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="467" />
            <source>Payable today</source>
            <translation>आज कुल देय</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="501" />
            <source>Total of the ticked lines</source>
            <translation>चुनी गई पंक्तियों का योग</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="607" />
            <source>arrear</source>
            <translation>बकाया</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="646" />
            <source>Year / period</source>
            <translation>वर्ष / अवधि</translation>
        </message>
    </context>
    <context>
        <name>OpeningCashPanel</name>
        <message>
            <location filename="../../ui/counter/opening_cash.py" line="73" />
            <source>Open the counter</source>
            <translation>काउंटर खोलें</translation>
        </message>
        <message>
            <location filename="../../ui/counter/opening_cash.py" line="75" />
            <source>No counter session is open for you today. Count the cash in the drawer and type it below.</source>
            <translation>आज आपका कोई काउंटर सत्र खुला नहीं है। दराज़ का नकद गिनकर नीचे टाइप करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/opening_cash.py" line="77" />
            <source>&amp;Opening cash (₹)</source>
            <translation>आरंभिक नकद (₹)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/opening_cash.py" line="78" />
            <source>Open session (Enter)</source>
            <translation>सत्र खोलें (Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/opening_cash.py" line="113" />
            <source>Type the opening cash in rupees, e.g. 500 or 1,250.50.</source>
            <translation>आरंभिक नकद रुपये में टाइप करें, जैसे 500 या 1,250.50।</translation>
        </message>
    </context>
    <context>
        <name>PaymentPanel</name>
        <message>
            <location filename="../../ui/counter/payment.py" line="248" />
            <source>Payment</source>
            <translation>भुगतान</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="249" />
            <source>&amp;Amount received (₹)</source>
            <translation>प्राप्त राशि (₹)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="250" />
            <source>Defaults to the full payable; typing replaces it</source>
            <translation>पहले से पूरी देय राशि भरी है; टाइप करने पर बदल जाती है</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="251" />
            <source>Cash (F5)</source>
            <translation>नकद (F5)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="252" />
            <source>Cash: F5</source>
            <translation>नकद: F5</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="253" />
            <source>Cheque/DD (F6)</source>
            <translation>चेक/डीडी (F6)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="254" />
            <source>Cheque or demand draft: F6</source>
            <translation>चेक या डिमांड ड्राफ्ट: F6</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="255" />
            <source>UPI (F7)</source>
            <translation>यूपीआई (F7)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="256" />
            <source>UPI: F7</source>
            <translation>यूपीआई: F7</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="257" />
            <source>Tendered (₹)</source>
            <translation>प्राप्त नकद (₹)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="258" />
            <source>exact amount</source>
            <translation>ठीक राशि</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="259" />
            <source>Change to return</source>
            <translation>लौटाने की राशि</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="260" />
            <source>Instrument</source>
            <translation>लिखत</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="261" />
            <source>Cheque</source>
            <translation>चेक</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="262" />
            <source>Demand draft</source>
            <translation>डिमांड ड्राफ्ट</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="263" />
            <source>Number (6 digits)</source>
            <translation>क्रमांक (6 अंक)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="264" />
            <source>Date</source>
            <translation>दिनांक</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="265" />
            <source>Bank</source>
            <translation>बैंक</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="266" />
            <source>Branch</source>
            <translation>शाखा</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="267" />
            <source>UPI reference / UTR</source>
            <translation>यूपीआई संदर्भ / UTR</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="268" />
            <source>This payment goes to</source>
            <translation>यह भुगतान इनमें जमा होगा</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="269" />
            <source>Collect… (F10)</source>
            <translation>वसूली… (F10)</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="270" />
            <source>F10 or Ctrl+Enter: check the payment and show the confirmation</source>
            <translation>F10 या Ctrl+Enter: भुगतान जाँचें और पुष्टि दिखाएँ</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="386" />
            <location filename="../../ui/counter/payment.py" line="405" />
            <source>Stays due after this payment: %1</source>
            <translation>इस भुगतान के बाद शेष बकाया: %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="388" />
            <location filename="../../ui/counter/payment.py" line="409" />
            <source>Rebate given: %1</source>
            <translation>दी गई छूट: %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="391" />
            <location filename="../../ui/counter/payment.py" line="412" />
            <source>Kept as advance credit: %1</source>
            <translation>अग्रिम के रूप में जमा: %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="394" />
            <location filename="../../ui/counter/payment.py" line="417" />
            <source>Part payment: no rebate</source>
            <translation>आंशिक भुगतान: छूट नहीं</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="419" />
            <source>Part payment of the ticked lines</source>
            <translation>चुनी गई पंक्तियों का आंशिक भुगतान</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="433" />
            <source>Select a property first.</source>
            <translation>पहले संपत्ति चुनें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="435" />
            <source>Tick at least one line to pay.</source>
            <translation>भुगतान के लिए कम से कम एक पंक्ति चुनें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="437" />
            <source>Type the amount received.</source>
            <translation>प्राप्त राशि टाइप करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="446" />
            <source>Tendered is not an amount.</source>
            <translation>प्राप्त नकद सही राशि नहीं है।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="449" />
            <source>Tendered is less than the amount received.</source>
            <translation>प्राप्त नकद जमा राशि से कम है।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="455" />
            <source>The cheque/DD number has 6 digits.</source>
            <translation>चेक/डीडी क्रमांक 6 अंकों का होता है।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="459" />
            <source>Type the cheque/DD date as DD-MM-YYYY.</source>
            <translation>चेक/डीडी का दिनांक DD-MM-YYYY में टाइप करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="465" />
            <source>Post-dated cheque/DD (%1) cannot be accepted before that date.</source>
            <translation>आगे की तारीख का चेक/डीडी (%1) उस तारीख से पहले स्वीकार नहीं किया जा सकता।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="474" />
            <source>Cheque/DD dated %1 is older than 90 days (stale) and cannot be accepted.</source>
            <translation>%1 का चेक/डीडी 90 दिन से पुराना (कालातीत) है, स्वीकार नहीं किया जा सकता।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="481" />
            <source>Type the bank.</source>
            <translation>बैंक का नाम टाइप करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="484" />
            <source>Type the branch.</source>
            <translation>शाखा का नाम टाइप करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="495" />
            <source>Type the UPI reference (UTR).</source>
            <translation>यूपीआई संदर्भ (UTR) टाइप करें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="512" />
            <source>Select a property to collect.</source>
            <translation>वसूली के लिए संपत्ति चुनें।</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="515" />
            <source>Ticked lines: %1</source>
            <translation>चुनी गई पंक्तियाँ: %1</translation>
        </message>
        <message>
            <location filename="../../ui/counter/payment.py" line="517" />
            <source>Full payable: %1</source>
            <translation>कुल देय: %1</translation>
        </message>
    </context>
    <context>
        <name>ReceiptListModel</name>
        <message>
            <location filename="../../ui/receipts/screen.py" line="78" />
            <source>Receipt no.</source>
            <translation>रसीद क्र.</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="79" />
            <source>Time</source>
            <translation>समय</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="80" />
            <source>Property</source>
            <translation>संपत्ति</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="81" />
            <source>Payer</source>
            <translation>भुगतानकर्ता</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="82" />
            <source>Mode</source>
            <translation>माध्यम</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="83" />
            <source>Amount</source>
            <translation>राशि</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="84" />
            <source>Status</source>
            <translation>स्थिति</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="104" />
            <source>CANCELLED</source>
            <translation>निरस्त</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="106" />
            <source>DISHONOURED</source>
            <translation>अनादरित</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="107" />
            <source>Valid</source>
            <translation>वैध</translation>
        </message>
    </context>
    <context>
        <name>ReceiptsScreen</name>
        <message>
            <location filename="../../ui/receipts/screen.py" line="323" />
            <source>&amp;Date</source>
            <translation>दिनांक</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="324" />
            <source>Ctrl+D: choose the date</source>
            <translation>Ctrl+D: दिनांक चुनें</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="325" />
            <source>Only my receipts</source>
            <translation>केवल मेरी रसीदें</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="326" />
            <source>Refresh (F5)</source>
            <translation>ताज़ा करें (F5)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="327" />
            <source>Reprint (Ctrl+P)</source>
            <translation>दोबारा छापें (Ctrl+P)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="328" />
            <source>Shows the receipt again marked DUPLICATE; no new number</source>
            <translation>रसीद "द्वितीय प्रति" के रूप में फिर दिखती है; नया क्रमांक नहीं लगता</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="329" />
            <source>Cancel receipt (Ctrl+Del)</source>
            <translation>रसीद निरस्त करें (Ctrl+Del)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="330" />
            <source>Needs a supervisor's user name and password, and a reason</source>
            <translation>पर्यवेक्षक का उपयोगकर्ता नाम, पासवर्ड और कारण आवश्यक</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="331" />
            <source>Cheque/DD dishonoured (Ctrl+B)</source>
            <translation>चेक/डीडी अनादरित (Ctrl+B)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="332" />
            <source>Cancel the receipt: supervisor's approval</source>
            <translation>रसीद निरस्तीकरण: पर्यवेक्षक की स्वीकृति</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="333" />
            <source>Supervisor user name</source>
            <translation>पर्यवेक्षक का उपयोगकर्ता नाम</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="334" />
            <source>Supervisor password</source>
            <translation>पर्यवेक्षक का पासवर्ड</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="335" />
            <source>Reason</source>
            <translation>कारण</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="336" />
            <source>Cancel the receipt (Enter)</source>
            <translation>रसीद निरस्त करें (Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="337" />
            <location filename="../../ui/receipts/screen.py" line="341" />
            <source>Back (Esc)</source>
            <translation>वापस (Esc)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="338" />
            <source>Cheque/DD dishonoured: the dues become payable again</source>
            <translation>चेक/डीडी अनादरित: बकाया फिर से देय हो जाएगा</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="339" />
            <source>Bank's reason</source>
            <translation>बैंक द्वारा बताया कारण</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="340" />
            <source>Mark dishonoured (Enter)</source>
            <translation>अनादरित दर्ज करें (Enter)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="414" />
            <source>%1 receipts · %2 cancelled · total %3</source>
            <translation>%1 रसीदें · %2 निरस्त · योग %3</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="484" />
            <source>Receipt %1 shown again as DUPLICATE (no new number).</source>
            <translation>रसीद %1 "द्वितीय प्रति" के रूप में फिर दिखाई गई (नया क्रमांक नहीं)।</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="514" />
            <source>The supervisor types their user name and password.</source>
            <translation>पर्यवेक्षक अपना उपयोगकर्ता नाम और पासवर्ड टाइप करें।</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="518" />
            <source>Give the reason for cancelling (at least 5 characters).</source>
            <translation>निरस्त करने का कारण लिखें (कम से कम 5 अक्षर)।</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="542" />
            <source>Receipt %1 cancelled; its dues are payable again.</source>
            <translation>रसीद %1 निरस्त हुई; उसका बकाया फिर से देय है।</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="544" />
            <source>Receipt %1 marked dishonoured; its dues are payable again.</source>
            <translation>रसीद %1 अनादरित दर्ज हुई; उसका बकाया फिर से देय है।</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="564" />
            <source>Only a supervisor or accounts can mark a cheque dishonoured.</source>
            <translation>चेक अनादरित केवल पर्यवेक्षक या लेखा शाखा दर्ज कर सकती है।</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="576" />
            <source>Give the bank's reason (at least 5 characters).</source>
            <translation>बैंक का बताया कारण लिखें (कम से कम 5 अक्षर)।</translation>
        </message>
    </context>
    <context>
        <name>ReceiptsShortcuts</name>
        <message>
            <location filename="../../ui/receipts/screen.py" line="56" />
            <source>Choose the date</source>
            <translation>दिनांक चुनें</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="57" />
            <source>Move through the receipts</source>
            <translation>रसीदों में ऊपर-नीचे चलें</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="58" />
            <source>Reprint the selected receipt (marked DUPLICATE)</source>
            <translation>चुनी गई रसीद दोबारा छापें ("द्वितीय प्रति")</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="59" />
            <source>Cancel the selected receipt (a supervisor logs in here)</source>
            <translation>चुनी गई रसीद निरस्त करें (पर्यवेक्षक यहीं लॉगिन करें)</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="60" />
            <source>Cheque/DD dishonoured</source>
            <translation>चेक/डीडी अनादरित</translation>
        </message>
        <message>
            <location filename="../../ui/receipts/screen.py" line="61" />
            <source>Close the cancel/dishonour form</source>
            <translation>निरस्तीकरण/अनादरण फ़ॉर्म बंद करें</translation>
        </message>
    </context>
    <context>
        <name>SearchResultsModel</name>
        <message>
            <location filename="../../ui/counter/models.py" line="111" />
            <source>Property ID / account no.</source>
            <translation>संपत्ति / खाता क्र.</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="112" />
            <source>Old ID</source>
            <translation>पुराना क्र.</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="113" />
            <source>Owner</source>
            <translation>स्वामी</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="114" />
            <source>Ward</source>
            <translation>वार्ड</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="115" />
            <source>Mobile</source>
            <translation>मोबाइल</translation>
        </message>
        <message>
            <location filename="../../ui/counter/models.py" line="116" />
            <source>Address</source>
            <translation>पता</translation>
        </message>
    </context>
</TS>