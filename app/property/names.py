"""Curated name and place lists for the demo ULB: (English, हिंदी) pairs as people in Chhattisgarh
write them. Everything is NFC-normalised when the module loads."""

from __future__ import annotations

import unicodedata

Pair = tuple[str, str]


def _pairs(text: str) -> tuple[Pair, ...]:
    pairs: list[Pair] = []
    for line in text.strip().splitlines():
        for item in line.split(";"):
            if item.strip():
                en, hi = item.split("=")
                pairs.append((en.strip(), unicodedata.normalize("NFC", hi.strip())))
    return tuple(pairs)


MALE_FIRST_NAMES = _pairs("""
Ramesh=रमेश; Suresh=सुरेश; Mahesh=महेश; Dinesh=दिनेश; Rajesh=राजेश; Mukesh=मुकेश; Naresh=नरेश; Umesh=उमेश
Ganesh=गणेश; Kamlesh=कमलेश; Yogesh=योगेश; Lokesh=लोकेश; Hitesh=हितेश; Ritesh=रितेश; Nilesh=नीलेश; Santosh=संतोष
Ashok=अशोक; Anil=अनिल; Sunil=सुनील; Vijay=विजय; Sanjay=संजय; Ajay=अजय; Manoj=मनोज; Vinod=विनोद
Pramod=प्रमोद; Subhash=सुभाष; Prakash=प्रकाश; Kailash=कैलाश; Rakesh=राकेश; Deepak=दीपक; Ravi=रवि; Raju=राजू
Ramu=रामू; Shyam=श्याम; Ram=राम; Mohan=मोहन; Sohan=सोहन; Rohan=रोहन; Gopal=गोपाल; Govind=गोविंद
Krishna=कृष्णा; Hari=हरि; Harish=हरीश; Girish=गिरीश; Satish=सतीश; Jagdish=जगदीश; Manish=मनीष; Ashish=आशीष
Amit=अमित; Sumit=सुमित; Rohit=रोहित; Mohit=मोहित; Lalit=ललित; Ankit=अंकित; Arun=अरुण; Tarun=तरुण
Varun=वरुण; Karan=करण; Arjun=अर्जुन; Bhupesh=भूपेश; Dilip=दिलीप; Pradeep=प्रदीप; Sandeep=संदीप; Kuldeep=कुलदीप
Rajkumar=राजकुमार; Shivkumar=शिवकुमार; Shiv=शिव; Shankar=शंकर; Bholaram=भोलाराम; Sitaram=सीताराम
Ramprasad=रामप्रसाद; Shivprasad=शिवप्रसाद; Durgaprasad=दुर्गाप्रसाद; Santram=संतराम; Ramlal=रामलाल
Shyamlal=श्यामलाल; Mohanlal=मोहनलाल; Kanhaiya=कन्हैया; Devendra=देवेंद्र; Narendra=नरेंद्र; Surendra=सुरेंद्र
Rajendra=राजेंद्र; Mahendra=महेंद्र; Jitendra=जितेंद्र; Dharmendra=धर्मेंद्र; Virendra=वीरेंद्र; Gajendra=गजेंद्र
Upendra=उपेंद्र; Shailendra=शैलेंद्र; Pushpendra=पुष्पेंद्र; Yashwant=यशवंत; Balram=बलराम; Baldev=बलदेव
Sahdev=सहदेव; Vasudev=वासुदेव; Ramdev=रामदेव; Jaydev=जयदेव; Tulsiram=तुलसीराम; Ghanshyam=घनश्याम
Radheshyam=राधेश्याम; Dayaram=दयाराम; Lakhan=लखन; Laxman=लक्ष्मण; Bharat=भरत; Shatrughan=शत्रुघ्न
Omprakash=ओमप्रकाश; Jayprakash=जयप्रकाश; Chandrashekhar=चंद्रशेखर; Chandan=चंदन; Pawan=पवन; Gagan=गगन
Nitin=नितिन; Sachin=सचिन; Vikas=विकास; Akash=आकाश; Vishal=विशाल; Rahul=राहुल; Gaurav=गौरव; Saurabh=सौरभ
Abhishek=अभिषेक; Vivek=विवेक; Alok=आलोक; Anand=आनंद; Arvind=अरविंद; Ravindra=रवींद्र; Kishore=किशोर
Nandkishore=नंदकिशोर; Jugal=जुगल; Tikeshwar=टिकेश्वर; Rameshwar=रामेश्वर; Dhaneshwar=धनेश्वर
Parmeshwar=परमेश्वर; Kameshwar=कामेश्वर; Tameshwar=तामेश्वर; Khemraj=खेमराज; Hemraj=हेमराज; Devraj=देवराज
Bhuneshwar=भुनेश्वर; Dukalu=दुकालू; Samaru=समारू; Budhram=बुधराम; Mangal=मंगल; Somnath=सोमनाथ
Kunjlal=कुंजलाल; Heeralal=हीरालाल; Motilal=मोतीलाल; Pannalal=पन्नालाल; Chhotelal=छोटेलाल; Bisahu=बिसाहू
Sukhram=सुखराम; Ghasiram=घासीराम; Janak=जनक; Pitambar=पीतांबर; Nilkanth=नीलकंठ; Yuvraj=युवराज
Thaneshwar=थानेश्वर; Purushottam=पुरुषोत्तम; Bhanu=भानु; Prem=प्रेम; Premlal=प्रेमलाल; Keshav=केशव
Madhav=माधव; Raghav=राघव; Uttam=उत्तम; Hemant=हेमंत; Basant=बसंत; Jayant=जयंत; Prashant=प्रशांत
Nishant=निशांत; Shrikant=श्रीकांत; Ravikant=रविकांत; Suryakant=सूर्यकांत; Vinay=विनय; Abhay=अभय; Uday=उदय
Akshay=अक्षय; Ajit=अजीत; Ranjit=रंजीत; Sujit=सुजीत; Rupesh=रूपेश; Kamal=कमल; Nirmal=निर्मल; Vimal=विमल
""")

FEMALE_FIRST_NAMES = _pairs("""
Sunita=सुनीता; Anita=अनीता; Kavita=कविता; Savita=सविता; Geeta=गीता; Sita=सीता; Rita=रीता; Neeta=नीता
Lalita=ललिता; Sarita=सरिता; Mamta=ममता; Samta=समता; Kamla=कमला; Vimla=विमला; Nirmala=निर्मला; Urmila=उर्मिला
Sharmila=शर्मिला; Pramila=प्रमिला; Shakuntala=शकुंतला; Laxmi=लक्ष्मी; Saraswati=सरस्वती; Parvati=पार्वती
Durga=दुर्गा; Radha=राधा; Rukmini=रुक्मिणी; Savitri=सावित्री; Gayatri=गायत्री; Janki=जानकी; Kaushalya=कौशल्या
Sushila=सुशीला; Sheela=शीला; Leela=लीला; Kusum=कुसुम; Pushpa=पुष्पा; Rekha=रेखा; Usha=उषा; Asha=आशा
Nisha=निशा; Manisha=मनीषा; Deepa=दीपा; Rupa=रूपा; Shobha=शोभा; Prabha=प्रभा; Sudha=सुधा; Meena=मीना
Reena=रीना; Beena=बीना; Heena=हीना; Seema=सीमा; Neelam=नीलम; Poonam=पूनम; Sunanda=सुनंदा; Anjali=अंजलि
Sonali=सोनाली; Rupali=रूपाली; Deepali=दीपाली; Vaishali=वैशाली; Shefali=शेफाली; Pooja=पूजा; Priya=प्रिया
Riya=रिया; Jaya=जया; Maya=माया; Chhaya=छाया; Daya=दया; Santoshi=संतोषी; Bhagwati=भगवती; Jamuna=जमुना
Ganga=गंगा; Yamuna=यमुना; Narmada=नर्मदा; Kaveri=कावेरी; Godavari=गोदावरी; Tulsi=तुलसी; Champa=चंपा
Chameli=चमेली; Juhi=जूही; Jyoti=ज्योति; Kiran=किरण; Archana=अर्चना; Vandana=वंदना; Sadhana=साधना
Kalpana=कल्पना; Rachna=रचना; Ranjana=रंजना; Anjana=अंजना; Sapna=सपना; Swati=स्वाति; Preeti=प्रीति
Neetu=नीतू; Meenu=मीनू; Sonu=सोनू; Ritu=रितु; Manju=मंजू; Anju=अंजू; Saroj=सरोज; Shanti=शांति
Kanti=कांति; Hemlata=हेमलता; Premlata=प्रेमलता; Swarnlata=स्वर्णलता; Kanchan=कंचन; Suman=सुमन
Sangeeta=संगीता; Babita=बबीता; Rashmi=रश्मि; Smita=स्मिता; Namita=नमिता; Amita=अमिता; Sunaina=सुनैना
Nandini=नंदिनी; Kamini=कामिनी; Yamini=यामिनी; Damini=दामिनी; Malti=मालती; Shanta=शांता; Dulari=दुलारी
Fulbai=फूलबाई; Sukhbai=सुखबाई; Bisahin=बिसाहिन; Dukhiya=दुखिया; Sonbai=सोनबाई; Gendbai=गेंदबाई
Mahima=महिमा; Garima=गरिमा; Pratima=प्रतिमा; Madhuri=माधुरी; Indu=इंदु; Bindu=बिंदु; Sindhu=सिंधु
Padma=पद्मा; Hemkumari=हेमकुमारी; Rajkumari=राजकुमारी; Shivkumari=शिवकुमारी; Ramkumari=रामकुमारी
Sushma=सुषमा; Uma=उमा; Rama=रमा; Shyama=श्यामा; Tara=तारा; Chanda=चंदा; Khileshwari=खिलेश्वरी
Rameshwari=रामेश्वरी; Parmeshwari=परमेश्वरी; Dhaneshwari=धनेश्वरी; Bhuneshwari=भुनेश्वरी; Latika=लतिका
Aarti=आरती; Bharti=भारती; Shraddha=श्रद्धा; Divya=दिव्या; Nikita=निकिता; Ankita=अंकिता; Shweta=श्वेता
Neha=नेहा; Sneha=स्नेहा; Payal=पायल; Khushboo=खुशबू; Jagriti=जागृति; Tameshwari=तामेश्वरी
""")

SURNAMES = _pairs("""
Sahu=साहू; Verma=वर्मा; Yadav=यादव; Dewangan=देवांगन; Chandrakar=चंद्राकर; Sharma=शर्मा; Tiwari=तिवारी
Mishra=मिश्रा; Shukla=शुक्ला; Dubey=दुबे; Pandey=पांडेय; Tripathi=त्रिपाठी; Agrawal=अग्रवाल; Jain=जैन
Gupta=गुप्ता; Soni=सोनी; Patel=पटेल; Sinha=सिन्हा; Singh=सिंह; Thakur=ठाकुर; Baghel=बघेल; Chandel=चंदेल
Chauhan=चौहान; Rajput=राजपूत; Kaushik=कौशिक; Sen=सेन; Nishad=निषाद; Dhruw=ध्रुव; Netam=नेताम
Markam=मरकाम; Mandavi=मंडावी; Kashyap=कश्यप; Kurre=कुर्रे; Banjare=बंजारे; Tandon=टंडन; Jangde=जांगड़े
Ratre=रात्रे; Khute=खुटे; Lahre=लहरे; Kosle=कोसले; Ghritlahre=घृतलहरे; Dahariya=डहरिया
Manikpuri=मानिकपुरी; Goswami=गोस्वामी; Vaishnav=वैष्णव; Nirmalkar=निर्मलकर; Tamrakar=ताम्रकार
Sonkar=सोनकर; Chakradhari=चक्रधारी; Dhiwar=धीवर; Rawat=रावत; Kanwar=कंवर; Paikra=पैकरा; Minj=मिंज
Ekka=एक्का; Tirkey=तिर्की; Lakra=लकड़ा; Kujur=कुजूर; Toppo=टोप्पो; Uikey=उइके; Porte=पोर्ते; Sori=सोरी
Kunjam=कुंजाम; Usendi=उसेंडी; Patle=पटले; Bisen=बिसेन; Chandravanshi=चंद्रवंशी; Deshmukh=देशमुख
Sonwani=सोनवानी; Suryavanshi=सूर्यवंशी; Gaikwad=गायकवाड़; Shrivastava=श्रीवास्तव; Awasthi=अवस्थी
Dwivedi=द्विवेदी; Chaturvedi=चतुर्वेदी; Bajpai=बाजपेयी; Sao=साव; Kesharwani=केशरवानी; Tamboli=तंबोली
Bhagat=भगत; Rathore=राठौर; Parihar=परिहार; Bhardwaj=भारद्वाज; Joshi=जोशी; Naik=नायक
""")

# How often each surname turns up (the first ones are the most common in the plains of Chhattisgarh).
SURNAME_WEIGHTS = tuple(max(1, 12 - index // 3) for index in range(len(SURNAMES)))

MOHALLAS = _pairs("""
Gandhi Nagar=गांधी नगर; Nehru Nagar=नेहरू नगर; Shanti Nagar=शांति नगर; Rajendra Nagar=राजेंद्र नगर
Subhash Nagar=सुभाष नगर; Shankar Nagar=शंकर नगर; Tilak Nagar=तिलक नगर; Ambedkar Nagar=अंबेडकर नगर
Ram Nagar=राम नगर; Krishna Nagar=कृष्णा नगर; Budhapara=बूढ़ापारा; Purani Basti=पुरानी बस्ती
Brahmanpara=ब्राह्मणपारा; Sadar Bazar=सदर बाज़ार; Golbazar=गोलबाज़ार; Tikrapara=टिकरापारा; Mathpara=मठपारा
Kankalipara=कंकालीपारा; Lakhe Nagar=लाखे नगर; Ganj Para=गंज पारा; Station Para=स्टेशन पारा
Tatibandh=टाटीबंध; Devendra Nagar=देवेंद्र नगर; Samta Colony=समता कॉलोनी; Choubey Colony=चौबे कॉलोनी
Mowa=मोवा; Pandri=पंडरी; Shyam Nagar=श्याम नगर; Kushalpur=कुशालपुर; Santoshi Nagar=संतोषी नगर
Bhatagaon=भाठागांव; Sarona=सरोना; Hirapur=हीरापुर; Amlidih=अमलीडीह; Telibandha=तेलीबांधा
Civil Lines=सिविल लाइंस; Kailash Nagar=कैलाश नगर; Mahaveer Nagar=महावीर नगर; Guru Ghasidas Nagar=गुरु घासीदास नगर
Sundar Nagar=सुंदर नगर; Vivekanand Nagar=विवेकानंद नगर; Durga Nagar=दुर्गा नगर; Kabir Nagar=कबीर नगर
Ashok Nagar=अशोक नगर; Indira Nagar=इंदिरा नगर; Rajiv Nagar=राजीव नगर; Azad Chowk=आज़ाद चौक
Naya Para=नया पारा; Purana Para=पुराना पारा; Bazar Para=बाज़ार पारा; Talab Para=तालाब पारा
Mandir Para=मंदिर पारा; Shitla Para=शीतला पारा; Sheetal Nagar=शीतल नगर; Avanti Vihar=अवंती विहार
""")

STREETS = _pairs("""
Main Road=मुख्य मार्ग; Station Road=स्टेशन रोड; Talab Road=तालाब रोड; Mandir Marg=मंदिर मार्ग
School Road=स्कूल रोड; Hospital Road=अस्पताल रोड; Bazar Road=बाज़ार रोड; Nehru Marg=नेहरू मार्ग
""")

# How the register writes relations; the Hindi word is shown beside it on Hindi screens.
RELATIONS: dict[str, str] = {"S/O": "पुत्र", "D/O": "पुत्री", "W/O": "पत्नी"}
