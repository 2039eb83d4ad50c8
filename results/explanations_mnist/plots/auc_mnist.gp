set terminal pngcairo size 1100,520 enhanced font 'DejaVu Sans,10'
set output 'auc_mnist.png'
$D << EOD
0 0 88.28314188482253 0
0 1 83.20047324482887 0
0 2 92.50387086177236 0
EOD
$P << EOD
0 91.9
1 88.5
2 93.9
EOD
set xtics ("3" 0, "5" 1, "8" 2)
set title "MNIST: AUC per class, mean and std over seeds (explanations\\_mnist)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.76 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:2.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "deep\\_svdd\\_one\\_class", $P using 1:2 with points pt 7 ps 0.8 lc rgb 'black' title 'paper'

unset output
reset
set terminal svg size 1100,520 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'auc_mnist.svg'
$D << EOD
0 0 88.28314188482253 0
0 1 83.20047324482887 0
0 2 92.50387086177236 0
EOD
$P << EOD
0 91.9
1 88.5
2 93.9
EOD
set xtics ("3" 0, "5" 1, "8" 2)
set title "MNIST: AUC per class, mean and std over seeds (explanations\\_mnist)"
set ylabel 'AUC (%)'
set xlabel 'normal class'
set grid ytics
set key outside right
set boxwidth 0.76 absolute
set style fill solid 0.6 border -1
set yrange [*:100]
set xrange [-0.6:2.6]
plot $D using ($1==0 ? $2 : 1/0):3:4 with boxerrorbars lc 1 title "deep\\_svdd\\_one\\_class", $P using 1:2 with points pt 7 ps 0.8 lc rgb 'black' title 'paper'

unset output
reset
