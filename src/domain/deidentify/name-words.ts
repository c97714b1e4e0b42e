/**
 * Word lists for the name step, written for this project (not copied from any published list):
 * given names common among people in the UK across its communities, the given names that are
 * also everyday English words, the titles and relationship words that introduce a name, and
 * capitalised words that are never names in care notes.
 */

const words = (text: string): ReadonlySet<string> => new Set(text.trim().split(/\s+/));

/**
 * Given names that are not also ordinary words, so a capitalised one is taken as a name on its
 * own. Lower-case forms count only after a relationship word ("my son ravi").
 */
export const GIVEN_NAMES = words(`
  Aaron Abdul Abdullah Abigail Ada Adam Adrian Agnes Ahmed Aidan Aisha Alan Albert Alex Alexander Alexandra
  Alfie Alfred Ali Alice Alison Amanda Amara Amelia Amina Amir Amit Amy Andrea Andrew Andrzej Angela Anil
  Anita Ann Anna Anne Annie Anthony Anwar Arjun Arthur Asha Ashok Audrey Ayesha Barbara Barry Beatrice
  Ben Benjamin Bernard Beryl Beth Bethan Betty Beverley Bilal Brenda Brian Bridget Bronwen Callum Carl
  Carlos Caroline Catherine Cerys Charles Charlie Charlotte Chen Cheryl Chidi Chloe Chris Christine
  Christopher Ciaran Claire Colin Connor Craig Cynthia Dafydd Daniel Danielle Darren David Dawid Deborah
  Declan Deepak Delroy Denise Dennis Derek Desmond Dilip Doreen Doris Dorothy Douglas Duncan Edith Edna
  Edward Eileen Elaine Eleanor Elena Elijah Elizabeth Ella Ellen Ellie Elsie Emily Emma Enid Eric Ernest
  Esther Ethel Eunice Evelyn Farah Fatima Fiona Florence Francesca Gareth Gary Gemma Geoffrey George
  Georgina Gerald Gillian Gladys Glenys Gordon Graham Gwen Gwyneth Hamza Hannah Harold Harpreet Harriet
  Harry Hassan Helen Henry Herbert Hilda Howard Hugh Hussain Ian Ibrahim Imran Irene Isaac Isabel Isabella
  Isla Ivan Jacqueline Jagdish Jakub James Jamie Jan Janet Janice Jasmin Jason Jayden Jean Jeffrey Jennifer
  Jeremy Jessica Joan Joanne Joe John Jonathan Joseph Joshua Joyce Judith Julie Kamal Karen Kasia Katarzyna
  Kate Katherine Kathleen Kathryn Katie Kavita Keith Kelly Kenneth Kevin Khadija Kiran Kirsty Krishna
  Krzysztof Kwame Laura Lauren Leah Leon Leonard Leslie Lewis Liam Linda Lindsay Lisa Lorraine Louise
  Lucy Luke Lynne Madeleine Magdalena Mahmood Maisie Malcolm Mandeep Manjit Margaret Maria Marian Marie
  Marjorie Martin Mary Matthew Maureen Megan Melissa Michael Michelle Mildred Mohammed Mohammad Muhammad
  Mohamed Molly Monica Muriel Nadia Naomi Natalie Nathan Neil Nia Nicholas Nicola Nigel Nina Niamh Noor
  Norman Oliver Olivia Omar Owen Paul Pauline Pawel Peter Philip Phyllis Piotr Priya Rachel Rahul Rajesh
  Rajinder Ravi Rebecca Rhiannon Rhys Richard Rita Robert Roger Ronald Rosemary Ryan Sadia Salma Samantha
  Samuel Sandra Sanjay Sarah Saira Scott Seamus Sean Shabana Shanice Sharon Sheila Shirley Siobhan Simon
  Sinead Sophie Stanley Stephen Steven Stuart Sukhjinder Sunita Susan Sylvia Tariq Thomas Timothy Tomasz
  Tracey Tracy Trevor Usha Valerie Vera Veronica Vincent Wayne Wendy Wilfred William Winifred Winston
  Wojciech Yasmin Yusuf Zainab Zara Zoe Zofia Siân Seán Zoë Ioan Aled Hywel Eilidh Morag Hamish Ruaridh
  Oisín Aoife Caoimhe Kwabena Adebayo Oluwaseun Chinedu Ngozi Femi Tunde Abena Kofi Mei Wei Jun Li Ming
`);

/**
 * Given names that are also everyday words or places ("Grace period", "I hope", "feeling Down" is
 * not among them, but "Will", "May" and "Rose" are). They are names only where the text says so:
 * after a title or a relationship word, after "called", or next to another name.
 */
export const WORD_NAMES = words(`
  Grace Hope Faith Joy May June April August Rose Daisy Will Bill Mark Pat Sue Frank Jack Bob Dawn
  Summer Ruby Amber Holly Iris Violet Heather Ivy Hazel Jasmine Lily Poppy Olive Robin Sky Autumn Crystal
  Pearl Penny Ray Rob Sunny Victor Art Earl Grant Dean Glen Hunter Chase Miles Lee Gene Guy Don Nick
  Carol Eve Noel Dot Patience Precious Blessing Gift Sandy Angel Jade Ebony Jordan Kent Chester Lincoln
  Paris Georgia Sydney Austin Tom Harvey Norma Basil Cliff Drew Rich Sonny Marshall
`);

/** Titles that come before a name; "Dr" with no name after it is left alone. */
export const TITLES =
  'Mr|Mrs|Ms|Miss|Mx|Dr|Doctor|Prof|Professor|Nurse|Sister|Rev|Revd|Reverend|Father|Sir|Dame|Lady|Lord|Cllr|Councillor|Auntie|Aunty|Aunt|Uncle|Nan|Nana|Nanna|Grandma|Grandad|Granny|Grandpa';

/** People in someone's life, as care notes name them ("her son Ravi", "my carer, Jean"). */
export const RELATIONS =
  'son|daughter|wife|husband|partner|carer|mum|mom|mother|dad|father|brother|sister|nephew|niece|grandson|granddaughter|grandchild|friend|neighbour|neighbor|cousin|aunt|auntie|uncle|boyfriend|girlfriend|fiancée?|stepson|stepdaughter|son-in-law|daughter-in-law|brother-in-law|sister-in-law|mother-in-law|father-in-law|nan|gran|grandma|grandad|key worker|keyworker|support worker|social worker|care worker|link worker|nurse|GP|doctor|consultant|care coordinator|advocate|befriender|volunteer|landlord|landlady|vicar|priest|imam|pastor|lodger|flatmate|pet|dog|cat';

/**
 * Capitalised words that are not names in care notes, though a name-finder may think so: days,
 * months that are not given names, titles, services, places in a home or a town, and words that
 * start sentences. "Dr said…" or "Grace period" must not become a name.
 */
export const NOT_NAMES = words(`
  I I'm I've I'll I'd Im A An The This That These Those It Its He She They We You My Your His Her Our Their
  Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mondays Tuesdays Wednesdays Thursdays Fridays
  Saturdays Sundays January February March July September October November December Christmas Easter
  Eid Diwali Ramadan Hanukkah Vaisakhi Mr Mrs Ms Miss Mx Dr Doctor Prof Professor Nurse Sister Rev Revd
  NHS GP GPs A&E Hospital Surgery Practice Clinic Centre Center Team Service Services Council Trust Unit
  Ward Care Home Social Health Mental District Community Practitioner Practitioners Nursing Matron
  Physio Physiotherapy Occupational Therapy Therapist Pharmacy Pharmacist Chemist Dentist Optician
  Post Office Bank Library Church Mosque Temple Gurdwara Synagogue Park School College University Station
  Bus Train Tesco Asda Aldi Lidl Sainsbury's Morrisons Co-op Boots Age UK Mind Macmillan
  Alzheimer's Society Samaritans Citizens Advice Jobcentre DWP PIP ESA Universal Credit Blue Badge
  Down Up Low High Good Bad Better Worse Fine Okay OK Yes No Not Never Always Today Tomorrow Yesterday
  Morning Afternoon Evening Night Week Weekend Month Year Period Day Time Life Lives Love Help Support
  Plan Review Goal Goals Outcome Outcomes Action Actions Notes Note Summary What Why When Where Who How
  Feeling Feels Felt Talking Points Matters Matter Important English Welsh Scottish Irish British
  Polish Urdu Punjabi Bengali Gujarati Arabic Somali Muslim Christian Hindu Sikh Jewish Catholic
  God Lord Jesus Allah Bible Quran Dementia Parkinson's Covid COPD Diabetes Type Stroke Cancer Hospice
  Paracetamol Metformin Ramipril Amlodipine Sertraline Warfarin Insulin Omeprazole Donepezil
  Lots Also And But So Then Now After Before Since Because If Although While Still Just Only Maybe
  Please Thanks Thank Hello Hi Dear Bless
  Leeds London Manchester Birmingham Bradford Sheffield York Liverpool Bristol Cardiff Glasgow Edinburgh
  Belfast Newcastle Wales Scotland England Ireland Britain UK Europe India Pakistan Bangladesh Poland
  Jamaica Nigeria Ghana Somalia China Kenya Spain France Blackpool Scarborough Whitby Harrogate
  Wi-Fi WhatsApp Zoom Facebook Skype Alexa Google TV BBC Radio Bingo Lunch Club Day Centre
  Cafe Café Garden Kitchen Bathroom Bedroom Lounge Stairs
`);
